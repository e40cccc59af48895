package dev.custodian.core.aws;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 answer read off a connection for {@link HttpWire}: the status line (past any {@code
 * 1xx}), the headers (names in lower case, the first value of each; conflicting lengths refused),
 * and the body by its length, in chunks (only when chunked is the last coding) or to the
 * connection's end, with whether the connection may carry another request. The head is capped at 64
 * KB, as is each chunk's line and the trailers together.
 */
final class HttpAnswerReader {

  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private HttpAnswerReader() {}

  /** An answer and whether its connection may carry another request. */
  record Read(HttpWire.Answer answer, boolean keepAlive) {}

  /** Reads one answer (skipping any {@code 1xx}). */
  static Read read(Input in) throws IOException {
    int[] headBytes = {0};
    String statusLine = line(in, headBytes, true);
    while (true) {
      int status = status(statusLine);
      Map<String, String> headers = new HashMap<>();
      for (String line = line(in, headBytes, false); !line.isEmpty(); ) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IOException("a garbled header in the answer");
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        String earlier = headers.putIfAbsent(name, value);
        if (earlier != null && name.equals("content-length") && !earlier.equals(value)) {
          throw new IOException("conflicting Content-Lengths in the answer");
        }
        if (earlier != null && name.equals("transfer-encoding")) {
          headers.put(name, earlier + ", " + value);
        }
        line = line(in, headBytes, false);
      }
      if (status / 100 == 1) {
        statusLine = line(in, headBytes, false);
        continue;
      }
      boolean keep =
          statusLine.startsWith("HTTP/1.1")
              ? !"close".equalsIgnoreCase(headers.get("connection"))
              : "keep-alive".equalsIgnoreCase(headers.get("connection"));
      byte[] body;
      String encoding = headers.get("transfer-encoding");
      String length = headers.get("content-length");
      if (status == 204 || status == 304) {
        body = new byte[0];
      } else if (encoding != null) {
        String[] codings = encoding.split(",");
        if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
          body = chunked(in);
        } else {
          // RFC 9112 6.3: chunked not last, the body runs to the connection's end
          body = in.readAllBytes();
          keep = false;
        }
        // both framings: the length is ignored, and the connection not trusted after
        keep &= length == null;
      } else if (length != null) {
        body = exactly(in, length(length));
      } else {
        body = in.readAllBytes();
        keep = false;
      }
      return new Read(new HttpWire.Answer(status, headers, body), keep);
    }
  }

  private static int status(String statusLine) throws IOException {
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
      throw new IOException("not an HTTP answer");
    }
    try {
      return Integer.parseInt(statusLine, 9, 12, 10);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status");
    }
  }

  private static int length(String value) throws IOException {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IOException("a garbled Content-Length");
  }

  private static byte[] exactly(InputStream in, int n) throws IOException {
    byte[] body = in.readNBytes(n);
    if (body.length < n) {
      throw new EOFException("the answer was cut short");
    }
    return body;
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
    int[] lineBytes = {0};
    while (true) {
      lineBytes[0] = 0;
      String size = line(in, lineBytes, false);
      int semicolon = size.indexOf(';');
      int n;
      try {
        n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("a garbled chunk size");
      }
      if (n < 0) {
        throw new IOException("a garbled chunk size");
      }
      if (n == 0) {
        // trailers, up to the empty line (together under the head's cap)
        lineBytes[0] = 0;
        while (!line(in, lineBytes, false).isEmpty()) {
          // skipped
        }
        return body.toByteArray();
      }
      body.write(exactly(in, n));
      lineBytes[0] = 0;
      if (!line(in, lineBytes, false).isEmpty()) {
        throw new IOException("a chunk longer than its size");
      }
    }
  }

  /**
   * One line of the head (without its CRLF). The answer's first byte missing means the server
   * closed the connection without answering: {@link StaleConnection} when {@code first}.
   */
  private static String line(InputStream in, int[] headBytes, boolean first) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        if (first && line.isEmpty()) {
          // a reset before the first byte: the server closed the connection
          throw new StaleConnection(e);
        }
        throw e;
      }
      if (b < 0) {
        if (first && line.isEmpty()) {
          throw new StaleConnection(null);
        }
        throw new EOFException("the answer was cut short");
      }
      if (++headBytes[0] > MAX_HEAD_BYTES) {
        throw new IOException("the answer's head is too long");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  /** The connection ended before the answer's first byte. */
  static final class StaleConnection extends IOException {
    StaleConnection(IOException cause) {
      super("the connection closed before an answer", cause);
    }
  }

  /** A buffered input without the JDK's per-read lock: a connection has one reader at a time. */
  static final class Input extends InputStream {
    private final InputStream socket;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;

    Input(InputStream socket) {
      this.socket = socket;
    }

    @Override
    public int read() throws IOException {
      if (position == limit && !fill()) {
        return -1;
      }
      return buffer[position++] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (position == limit) {
        if (length >= buffer.length) {
          return socket.read(into, offset, length);
        }
        if (!fill()) {
          return -1;
        }
      }
      int n = Math.min(length, limit - position);
      System.arraycopy(buffer, position, into, offset, n);
      position += n;
      return n;
    }

    /** What is buffered here and in the socket's own stream (TLS's decrypted records). */
    @Override
    public int available() throws IOException {
      return limit - position + socket.available();
    }

    /** What is buffered here only. */
    int buffered() {
      return limit - position;
    }

    private boolean fill() throws IOException {
      int n = socket.read(buffer, 0, buffer.length);
      position = 0;
      limit = Math.max(n, 0);
      return n > 0;
    }
  }
}
