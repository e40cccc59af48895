package dev.custodian.local.emulator;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * moto's server mode on a free loopback port: DynamoDB, KMS, SQS and SES for the local cloud and
 * the tests. It runs moto's application through a small launcher that applies DynamoDB requests one
 * at a time, as atomic as DynamoDB's own conditional writes. Stopping it ends the whole process
 * tree it started.
 */
public final class MotoServer implements AutoCloseable {

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /** Starts moto and waits until it answers. */
  public static MotoServer start() throws IOException {
    int port = freePort();
    Path log = Files.createTempFile("custodian-moto-", ".log");
    log.toFile().deleteOnExit();
    Path launcher = Files.createTempFile("custodian-moto-", ".py");
    launcher.toFile().deleteOnExit();
    try (var script = MotoServer.class.getResourceAsStream("moto_server.py")) {
      Files.write(launcher, script.readAllBytes());
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(python(), launcher.toString(), "127.0.0.1", String.valueOf(port)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // moto reads these; none of them reaches AWS.
    builder.environment().put("MOTO_ALLOW_NONEXISTENT_REGION", "true");
    Process process = builder.start();
    MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
    try {
      server.awaitReady(Duration.ofSeconds(45));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static String python() {
    String configured = System.getenv("CUSTODIAN_PYTHON");
    return configured == null || configured.isBlank() ? "python3" : configured;
  }

  public URI endpoint() {
    return endpoint;
  }

  private void awaitReady(Duration limit) throws IOException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(
            "moto server exited at start (is it installed? python3 -m moto.server): "
                + tail(Files.readString(log)));
      }
      try {
        HttpURLConnection connection =
            (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(2000);
        if (connection.getResponseCode() == 200) {
          connection.disconnect();
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for moto", e);
      }
    }
    throw new IOException("moto server did not answer within " + limit.toSeconds() + " s");
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
