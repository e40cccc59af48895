package dev.custodian.core.aws;

import static dev.custodian.core.aws.HttpWireTest.post;
import static dev.custodian.core.aws.HttpWireTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.core.aws.HttpWireTest.Server;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile or unlucky server, and many callers at once, against {@link HttpWire}. */
class HttpWireAttackTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  private final HttpWire wire = new HttpWire(SECOND, SECOND);

  // ---------------------------------------------------------------- defects

  /**
   * Bytes past the answer's Content-Length stay in the connection's buffer; the kept connection
   * then hands them to the next request as its answer (another caller's answer, or a forged one).
   */
  @Test
  void bytesPastContentLength_areNotTheNextRequestsAnswer() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                if (self.requests.size() == 1) {
                  write(
                      s,
                      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                          + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged");
                } else {
                  write(s, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal");
                }
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 ok");
      assertThat(post(wire, uri, "2")).isEqualTo("200 real");
    }
  }

  /**
   * Two Content-Lengths that disagree (RFC 9112 6.3: an unrecoverable error): the first is taken,
   * the rest of the body is left on the kept connection and read as the next answer.
   */
  @Test
  void conflictingContentLengths_areAnError_notADesync() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                if (self.requests.size() == 1) {
                  write(
                      s,
                      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 47\r\n\r\nok"
                          + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged");
                } else {
                  write(s, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal");
                }
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThatThrownBy(() -> post(wire, uri, "1")).isInstanceOf(IOException.class);
      assertThat(post(wire, uri, "2")).isEqualTo("200 real");
    }
  }

  /**
   * A server that says something on a kept connection while it is idle (a "408 Request Timeout"
   * before its idle close, as some servers and proxies do): that is no answer to the request
   * written afterwards, which must go on a new connection.
   */
  @Test
  void anAnswerSentWhileTheConnectionWasIdle_isNotTheNextRequestsAnswer() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              if (n == 1) {
                self.read(s.getInputStream());
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                write(s, "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n");
                // reads (and drops) whatever comes next, as a server tearing down would
                s.getInputStream().read(new byte[4096]);
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              } else {
                while (self.read(s.getInputStream()) != null) {
                  write(s, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal");
                }
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 ok");
      Thread.sleep(100);
      assertThat(post(wire, uri, "2")).isEqualTo("200 real");
    }
  }

  /** The same, with the server closing right after its idle 408 (the usual idle teardown). */
  @Test
  void anAnswerSentWhileIdle_thenAClose_isNotTheNextRequestsAnswer() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              if (n == 1) {
                self.read(s.getInputStream());
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                write(s, "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
              } else {
                while (self.read(s.getInputStream()) != null) {
                  write(s, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal");
                }
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 ok");
      Thread.sleep(100);
      assertThat(post(wire, uri, "2")).isEqualTo("200 real");
    }
  }

  /** The same over TLS: the idle 408 waits encrypted, under the TLS socket's own buffer. */
  @Test
  void overTls_anAnswerSentWhileIdle_isNotTheNextRequestsAnswer(@TempDir Path dir)
      throws Exception {
    HttpWireTest.Tls tls = HttpWireTest.Tls.forLocalhost(dir);
    SSLContext serverTls = tls.server();
    HttpWire secure = new HttpWire(SECOND, SECOND, tls.client().getSocketFactory());

    ServerSocket listening =
        serverTls
            .getServerSocketFactory()
            .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    try (Server server =
        new Server(
            listening,
            (n, s, self) -> {
              if (n == 1) {
                self.read(s.getInputStream());
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                write(s, "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
                s.getInputStream().read(new byte[4096]);
              } else {
                while (self.read(s.getInputStream()) != null) {
                  write(s, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal");
                }
              }
            })) {
      URI uri = URI.create("https://localhost:" + listening.getLocalPort() + "/p");
      assertThat(post(secure, uri, "1")).isEqualTo("200 ok");
      Thread.sleep(100);
      assertThat(post(secure, uri, "2")).isEqualTo("200 real");
      assertThat(post(secure, uri, "3")).isEqualTo("200 real");
      assertThat(server.connections).hasValue(2); // the second connection is kept over TLS
    }
  }

  /**
   * A chunked answer sent in many small chunks (a streaming server flushing per write) is a valid
   * answer: its chunk-size lines are body framing, not the answer's head, and must not count
   * against the head's 64 KB cap.
   */
  @Test
  void aChunkedAnswerInManySmallChunks_isRead() throws Exception {
    int chunks = 30_000;
    StringBuilder answer =
        new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < chunks; i++) {
      answer.append("1\r\nx\r\n");
    }
    answer.append("0\r\n\r\n");
    String text = answer.toString();
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                write(s, text);
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 " + "x".repeat(chunks));
    }
  }

  // ---------------------------------------------------------------- what held

  @Test
  void manyCallersAtOnce_eachGetTheirOwnAnswer() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              String request;
              while ((request = self.read(s.getInputStream())) != null) {
                String body = request.substring(request.indexOf("\r\n\r\n") + 4);
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      ExecutorService pool = Executors.newFixedThreadPool(32);
      try {
        List<Future<List<String>>> all = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
          int thread = t;
          all.add(
              pool.submit(
                  () -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                      String mine = "t" + thread + "-" + i;
                      String got = post(wire, uri, mine);
                      if (!got.equals("200 " + mine)) {
                        wrong.add(mine + " got " + got);
                      }
                    }
                    return wrong;
                  }));
        }
        for (Future<List<String>> f : all) {
          assertThat(f.get()).isEmpty();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(server.connections.get()).isLessThan(32 * 200);
    }
  }

  @Test
  void aHugeContentLength_isNotAllocatedUpFront_andTheCutIsAnError() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2147483647\r\n\r\nabc");
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThatThrownBy(() -> post(wire, uri, "1")).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void garbledLengthsAndChunkSizes_areErrors() throws Exception {
    String[] answers = {
      "HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffff\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n",
    };
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              write(s, answers[n - 1]);
              s.getInputStream().read();
            })) {
      URI uri = server.uri("127.0.0.1");
      for (String answer : answers) {
        assertThatThrownBy(() -> post(wire, uri, "1")).as(answer).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void anEndlessHead_isCut() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              write(s, "HTTP/1.1 200 OK\r\n");
              for (int i = 0; i < 100_000; i++) {
                write(s, "X-Filler-" + i + ": aaaaaaaaaaaaaaaaaaaaaaaa\r\n");
              }
            })) {
      assertThatThrownBy(() -> post(wire, server.uri("127.0.0.1"), "1"))
          .hasMessageContaining("too long");
    }
  }

  @Test
  void anHttp10Answer_closesTheConnection_unlessKeepAlive() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                write(s, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 ok");
      assertThat(post(wire, uri, "2")).isEqualTo("200 ok");
      assertThat(server.connections).hasValue(2);
    }
  }

  @Test
  void aKeptConnectionThatDiesAfterReadingTheRequest_isSentAtMostTwice() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              if (n == 1) {
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                self.read(s.getInputStream());
              }
              s.setSoLinger(true, 0); // a reset, as a crashing server would
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 ok");
      assertThatThrownBy(() -> post(wire, uri, "2")).isInstanceOf(IOException.class);
      Thread.sleep(200);
      assertThat(server.requests).hasSize(3); // once on the kept, once on a fresh connection
    }
  }

  @Test
  void anIpv6LiteralEndpoint_isReached_andTheQueryKept() throws Exception {
    try (Server server =
        new Server(
            new ServerSocket(0, 50, InetAddress.getByName("::1")),
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
              }
            })) {
      URI uri = URI.create("http://[::1]:" + server.socket.getLocalPort() + "/p/q?a=b%20c");
      assertThat(post(wire, uri, "1")).isEqualTo("200 ok");
      assertThat(post(wire, uri, "2")).isEqualTo("200 ok");
      assertThat(server.connections).hasValue(1);
      assertThat(server.requests.get(0))
          .startsWith("POST /p/q?a=b%20c HTTP/1.1\r\n")
          .contains("Host: [::1]:" + server.socket.getLocalPort() + "\r\n");
    }
  }

  @Test
  void aCallersContentLength_isReplaced_andDuplicateAnswerHeaders_keepTheFirst() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                write(
                    s, "HTTP/1.1 200 OK\r\nX-A: first\r\nx-a: second\r\nContent-Length: 0\r\n\r\n");
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      HttpWire.Answer answer =
          wire.post(
              uri,
              Map.of("Host", "h", "content-length", "999"),
              "abc".getBytes(StandardCharsets.UTF_8));
      assertThat(answer.header("X-A")).isEqualTo("first");
      assertThat(server.requests.get(0))
          .doesNotContain("999")
          .endsWith("Content-Length: 3\r\n\r\nabc");
      assertThatThrownBy(() -> wire.post(uri, Map.of("Host", "h", "X\u0000", "v"), new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> wire.post(uri, Map.of("Host", "h\u0000evil"), new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
