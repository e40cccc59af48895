package dev.custodian.core.aws;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 {@code POST}s over kept-alive sockets, for the signed AWS calls ({@link
 * SignedJsonCall}): the request's head and body leave in one write, the answer is read by its
 * {@code Content-Length}, in chunks, or to the connection's end. A warm order spent a third of its
 * own CPU time in the JDK's {@code HttpURLConnection} and the SDK's wrapper around it
 * (docs/benchmarks.md); this does the same exchange with none of their header maps, stream wrappers
 * and per-call lookups.
 *
 * <p>What it holds to: TLS with the JDK's trust store and the server's name checked against its
 * certificate ({@code HTTPS} endpoint identification, SNI from the host); a connect timeout and a
 * read timeout per socket; header values with a line break are refused rather than sent; an answer
 * framed two ways (conflicting lengths) is an error. A connection is kept only when nothing past
 * its answer arrived, and used again only when it is still quiet (a server's {@code 408} before an
 * idle close, or a stray byte, would otherwise answer the next request) and has been idle for less
 * than 20 seconds. A kept connection that fails before the answer's first byte (a reset, an end:
 * the server closed it while idle) carries the request once more on a new connection, as the JDK's
 * connection does; a timeout is never resent. So a server that read the request and then reset a
 * kept connection without answering gets it twice: harmless for the signed DynamoDB and KMS calls
 * (tokens, conditions, reads), a rare duplicate for SQS's standard queues and SES, which the
 * consumers and the SDK's own retries already have to bear. What it leaves out, as the functions
 * never need it: proxies, redirects, compression, {@code Expect: 100-continue} (a {@code 100}
 * answer is skipped), and any method but {@code POST}.
 */
public final class HttpWire {

  /** An answer: its status, its headers (names in lower case, the first value of each), body. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {

    /** The header's first value, by its name in any case; null when absent. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A kept connection is not used after this long idle (AWS's endpoints keep one for longer). */
  private static final long IDLE_NANOS = Duration.ofSeconds(20).toNanos();

  private static final int MAX_IDLE_PER_HOST = 8;

  private final int connectMillis;
  private final int readMillis;
  private final SSLSocketFactory tls;
  private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();

  /** With the JDK's default TLS context (its trust store). */
  public HttpWire(Duration connectTimeout, Duration readTimeout) {
    this(connectTimeout, readTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  public HttpWire(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) {
    this.connectMillis = Math.toIntExact(connectTimeout.toMillis());
    this.readMillis = Math.toIntExact(readTimeout.toMillis());
    this.tls = tls;
  }

  /**
   * Posts the body with the headers (which must name the {@code Host}, as a signed request does;
   * {@code Content-Length} is added) and answers whatever came back.
   *
   * @throws IOException when the endpoint cannot be reached or the answer is cut short or garbled
   */
  public Answer post(URI uri, Map<String, String> headers, byte[] body) throws IOException {
    byte[] head = head(uri, headers, body.length);
    String origin = origin(uri);
    Connection kept = takeIdle(origin);
    if (kept != null) {
      try {
        return exchange(kept, origin, head, body);
      } catch (HttpAnswerReader.StaleConnection closedWhileIdle) {
        // the server closed it while it waited here: the request goes on a new connection
      }
    }
    Connection fresh = open(uri);
    try {
      return exchange(fresh, origin, head, body);
    } catch (HttpAnswerReader.StaleConnection closedAtOnce) {
      throw closedAtOnce.getCause() instanceof IOException cause
          ? cause
          : new EOFException("the connection closed before an answer");
    }
  }

  private Answer exchange(Connection c, String origin, byte[] head, byte[] body)
      throws IOException {
    Answer answer;
    try {
      try {
        c.out.write(head);
        c.out.write(body);
        c.out.flush();
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        // a reset or broken pipe: the server closed the connection before the request
        throw new HttpAnswerReader.StaleConnection(e);
      }
      answer = read(c);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    if (c.reusable) {
      c.idleSince = System.nanoTime();
      ConcurrentLinkedDeque<Connection> q =
          idle.computeIfAbsent(origin, o -> new ConcurrentLinkedDeque<>());
      if (q.size() < MAX_IDLE_PER_HOST) {
        q.push(c);
      } else {
        c.close();
      }
    } else {
      c.close();
    }
    return answer;
  }

  private Connection takeIdle(String origin) {
    ConcurrentLinkedDeque<Connection> q = idle.get(origin);
    if (q == null) {
      return null;
    }
    long now = System.nanoTime();
    for (Connection c = q.poll(); c != null; c = q.poll()) {
      // bytes waiting on an idle connection answer nothing we asked (a 408 before an idle close,
      // a close_notify, an answer's overlong body): such a connection is out of step
      if (now - c.idleSince < IDLE_NANOS && !c.socket.isClosed() && c.quiet()) {
        return c;
      }
      c.close();
    }
    return null;
  }

  private Connection open(URI uri) throws IOException {
    boolean secure = "https".equalsIgnoreCase(uri.getScheme());
    if (!secure && !"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not an http(s) endpoint: " + uri.getScheme());
    }
    String host = uri.getHost();
    int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
    Socket plain = new Socket();
    try {
      plain.setTcpNoDelay(true);
      plain.setKeepAlive(true);
      plain.connect(new InetSocketAddress(host, port), connectMillis);
      plain.setSoTimeout(readMillis);
      Socket socket = plain;
      if (secure) {
        SSLSocket tlsSocket = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters parameters = tlsSocket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tlsSocket.setSSLParameters(parameters);
        tlsSocket.startHandshake();
        socket = tlsSocket;
      }
      return new Connection(socket, plain);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** The request line and headers, as bytes; refuses a name or value that would break the head. */
  static byte[] head(URI uri, Map<String, String> headers, int length) {
    StringBuilder head = new StringBuilder(1024);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    head.append("POST ").append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\n");
    boolean host = false;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey();
      if (name.equalsIgnoreCase("Content-Length")) {
        continue;
      }
      host |= name.equalsIgnoreCase("Host");
      checked(name, true);
      checked(header.getValue(), false);
      head.append(name).append(": ").append(header.getValue()).append("\r\n");
    }
    if (!host) {
      throw new IllegalArgumentException("a request needs its Host header");
    }
    head.append("Content-Length: ").append(length).append("\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void checked(String text, boolean name) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0xFF || (name && (c <= ' ' || c == ':'))) {
        throw new IllegalArgumentException("a header " + (name ? "name" : "value") + " is invalid");
      }
    }
  }

  private static String origin(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + uri.getPort();
  }

  /** Reads one answer and marks whether the connection can be kept. */
  private static Answer read(Connection c) throws IOException {
    HttpAnswerReader.Read read = HttpAnswerReader.read(c.in);
    // bytes past the answer are no answer to the next request
    c.reusable = read.keepAlive() && c.in.buffered() == 0;
    return read.answer();
  }

  private static final class Connection {
    final Socket socket;
    final HttpAnswerReader.Input in;
    final OutputStream out;
    private final InputStream raw;
    long idleSince;
    boolean reusable;

    Connection(Socket socket, Socket plain) throws IOException {
      this.socket = socket;
      this.in = new HttpAnswerReader.Input(socket.getInputStream());
      this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      // over TLS, the plain socket's own bytes (still encrypted); without, in's are the same
      this.raw = plain == socket ? null : plain.getInputStream();
    }

    /**
     * Nothing to read: not in our buffer, nor TLS's, nor the kernel's (for TLS, encrypted bytes not
     * yet read: a record the server sent while the connection was idle).
     */
    boolean quiet() {
      try {
        return in.available() == 0 && (raw == null || raw.available() == 0);
      } catch (IOException e) {
        return false;
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
