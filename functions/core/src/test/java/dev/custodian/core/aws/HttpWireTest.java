package dev.custodian.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed calls' HTTP/1.1 exchange against a server on loopback that answers as each test
 * scripts it, byte for byte: kept connections, the answer's three framings, a server that closed a
 * kept connection, one that never answers, TLS's name check.
 */
class HttpWireTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  /** Serves one accepted connection (numbered from 1). */
  interface Script {
    void serve(int connection, Socket socket, Server server) throws IOException;
  }

  /** A loopback server that counts connections and keeps every request it read. */
  static final class Server implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();

    Server(ServerSocket socket, Script script) {
      this.socket = socket;
      Thread accepting =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket s = socket.accept();
                    int n = connections.incrementAndGet();
                    Thread serving =
                        new Thread(
                            () -> {
                              try (s) {
                                script.serve(n, s, this);
                              } catch (IOException ended) {
                                // the client went away
                              }
                            });
                    serving.setDaemon(true);
                    serving.start();
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      accepting.setDaemon(true);
      accepting.start();
    }

    static Server plain(Script script) throws IOException {
      return new Server(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    URI uri(String host) {
      return URI.create("http://" + host + ":" + socket.getLocalPort() + "/p");
    }

    /** Reads one request (head and body) off the connection; null when it ended first. */
    String read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      String request = text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
      requests.add(request);
      return request;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static void write(Socket s, String answer) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  static Map<String, String> headers(URI uri) {
    return Map.of("Host", uri.getHost() + ":" + uri.getPort(), "X-Amz-Target", "T.Op");
  }

  static String post(HttpWire wire, URI uri, String body) throws IOException {
    HttpWire.Answer answer = wire.post(uri, headers(uri), body.getBytes(StandardCharsets.UTF_8));
    return answer.status() + " " + new String(answer.body(), StandardCharsets.UTF_8);
  }

  private final HttpWire wire = new HttpWire(SECOND, SECOND);

  @Test
  void aConnectionIsKeptBetweenCalls_andTheRequestIsWrittenAsHttp11() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Amzn-ErrorType: a\r\n\r\nok");
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "abc")).isEqualTo("200 ok");
      assertThat(post(wire, uri, "défg")).isEqualTo("200 ok");

      assertThat(server.connections).hasValue(1);
      assertThat(server.requests.get(0))
          .startsWith("POST /p HTTP/1.1\r\n")
          .contains("Host: 127.0.0.1:" + uri.getPort() + "\r\n")
          .contains("X-Amz-Target: T.Op\r\n")
          .endsWith("Content-Length: 3\r\n\r\nabc");
      assertThat(server.requests.get(1)).endsWith("Content-Length: 5\r\n\r\ndéfg");
      HttpWire.Answer answer = wire.post(uri, headers(uri), new byte[0]);
      assertThat(answer.header("x-amzn-errortype")).isEqualTo("a");
      assertThat(answer.header("X-AMZN-ERRORTYPE")).isEqualTo("a");
    }
  }

  @Test
  void aChunkedAnswer_isJoined_pastItsExtensionsAndTrailers_andTheConnectionKept()
      throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                write(
                    s,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 hello world");
      assertThat(post(wire, uri, "2")).isEqualTo("200 hello world");
      assertThat(server.connections).hasValue(1);
    }
  }

  @Test
  void anAnswerWithoutALength_endsWithItsConnection_asDoesOneThatSaysClose() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              if (n == 1) {
                write(s, "HTTP/1.1 200 OK\r\n\r\nuntil the end");
              } else {
                write(s, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\nlast");
                // the server keeps the connection open: the client must not wait for more
                self.read(s.getInputStream());
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 until the end");
      assertThat(post(wire, uri, "2")).isEqualTo("200 last");
      assertThat(post(wire, uri, "3")).isEqualTo("200 last");
      assertThat(server.connections).hasValue(3);
    }
  }

  @Test
  void aKeptConnectionTheServerClosed_carriesNothing_andTheRequestGoesOnceOnANewOne()
      throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              // answers as if keeping the connection, then closes it (an idle timeout)
              write(s, "HTTP/1.1 200 OK\r\nContent-Length: " + (1 + n / 10) + "\r\n\r\n" + n);
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "first")).isEqualTo("200 1");
      Thread.sleep(100);
      assertThat(post(wire, uri, "second")).isEqualTo("200 2");

      assertThat(server.connections).hasValue(2);
      assertThat(server.requests).hasSize(2);
      assertThat(server.requests.get(1)).endsWith("second");
    }
  }

  @Test
  void aFreshConnectionClosedBeforeTheAnswer_isAnError_andTheRequestIsNotSentAgain()
      throws Exception {
    try (Server server = Server.plain((n, s, self) -> self.read(s.getInputStream()))) {
      URI uri = server.uri("127.0.0.1");
      assertThatThrownBy(() -> post(wire, uri, "once")).isInstanceOf(IOException.class);
      Thread.sleep(200);
      assertThat(server.connections).hasValue(1);
      assertThat(server.requests).hasSize(1);
    }
  }

  @Test
  void anAnswerCutShort_isAnError_notARetry() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              while (self.read(s.getInputStream()) != null) {
                write(
                    s,
                    self.requests.size() == 1
                        ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                        : "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
                if (self.requests.size() > 1) {
                  return;
                }
              }
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(wire, uri, "1")).isEqualTo("200 ok");
      assertThatThrownBy(() -> post(wire, uri, "2")).isInstanceOf(EOFException.class);
      Thread.sleep(200);
      assertThat(server.requests).hasSize(2);
      assertThat(server.connections).hasValue(1);
    }
  }

  @Test
  void aServerThatNeverAnswers_timesOut_andTheRequestIsNotSentAgain() throws Exception {
    HttpWire quick = new HttpWire(SECOND, Duration.ofMillis(300));
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
              // the second request on the kept connection is read and never answered
              self.read(s.getInputStream());
              s.getInputStream().read();
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThat(post(quick, uri, "1")).isEqualTo("200 ok");
      assertThatThrownBy(() -> post(quick, uri, "2")).isInstanceOf(SocketTimeoutException.class);
      assertThat(server.requests).hasSize(2);
      assertThat(server.connections).hasValue(1);
    }
  }

  @Test
  void aContinueBeforeTheAnswer_isSkipped() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              write(
                  s,
                  "HTTP/1.1 100 Continue\r\n\r\n"
                      + "HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\n\r\nbad");
            })) {
      assertThat(post(wire, server.uri("127.0.0.1"), "x")).isEqualTo("400 bad");
    }
  }

  @Test
  void aGarbledAnswer_isAnError() throws Exception {
    try (Server server =
        Server.plain(
            (n, s, self) -> {
              self.read(s.getInputStream());
              write(s, n == 1 ? "SSH-2.0-not-http\r\n\r\n" : "HTTP/1.1 200 OK\r\nbroken\r\n\r\n");
            })) {
      URI uri = server.uri("127.0.0.1");
      assertThatThrownBy(() -> post(wire, uri, "1")).hasMessageContaining("not an HTTP answer");
      assertThatThrownBy(() -> post(wire, uri, "2")).hasMessageContaining("garbled header");
    }
  }

  @Test
  void aHeaderThatWouldBreakTheHead_isRefused_asIsARequestWithoutItsHost() {
    URI uri = URI.create("http://127.0.0.1:1/p");
    assertThatThrownBy(
            () -> HttpWire.head(uri, Map.of("Host", "h", "X-A", "v\r\nInjected: yes"), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpWire.head(uri, Map.of("Host", "h", "X A", "v"), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpWire.head(uri, Map.of("X-A", "v"), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new String(HttpWire.head(uri, Map.of("Host", "h"), 7), StandardCharsets.UTF_8))
        .isEqualTo("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\n");
  }

  @Test
  void tls_checksTheServersNameAgainstItsCertificate(@TempDir Path dir) throws Exception {
    Tls tls = Tls.forLocalhost(dir);
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
              while (self.read(s.getInputStream()) != null) {
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret");
              }
            })) {
      int port = listening.getLocalPort();
      URI byName = URI.create("https://localhost:" + port + "/p");
      assertThat(post(secure, byName, "hello")).isEqualTo("200 secret");
      assertThat(post(secure, byName, "again")).isEqualTo("200 secret");
      assertThat(server.requests).hasSize(2);
      assertThat(server.connections).hasValue(1);

      // the same server reached by an address its certificate does not name
      URI byAddress = URI.create("https://127.0.0.1:" + port + "/p");
      assertThatThrownBy(() -> post(secure, byAddress, "leak"))
          .isInstanceOf(SSLHandshakeException.class);
      assertThat(server.requests).hasSize(2);
    }
  }

  /** A server's TLS with a certificate for "localhost" only, and a client's that trusts it. */
  record Tls(SSLContext server, SSLContext client) {

    static Tls forLocalhost(Path dir) throws Exception {
      Path keys = dir.resolve("server.p12");
      keytool(
          "-genkeypair",
          "-alias",
          "server",
          "-keyalg",
          "EC",
          "-dname",
          "CN=localhost",
          "-ext",
          "SAN=dns:localhost",
          "-validity",
          "2",
          "-keystore",
          keys.toString(),
          "-storepass",
          "secret1",
          "-storetype",
          "PKCS12");
      KeyStore serverKeys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keys)) {
        serverKeys.load(in, "secret1".toCharArray());
      }
      KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      km.init(serverKeys, "secret1".toCharArray());
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(km.getKeyManagers(), null, null);
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("server", serverKeys.getCertificate("server"));
      TrustManagerFactory tm =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tm.init(trusted);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, tm.getTrustManagers(), null);
      return new Tls(server, client);
    }
  }

  private static void keytool(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
  }
}
