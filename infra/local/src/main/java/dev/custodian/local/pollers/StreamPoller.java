package dev.custodian.local.pollers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's DynamoDB stream event source mapping: reads the stream's shards from the start, in
 * order, and invokes the function with batches of records; a failed batch is retried (the same
 * records, in order) before the shard moves on, as Lambda does. It speaks the streams API as JSON
 * over HTTP, so the records reach the function as they left the emulator.
 */
final class StreamPoller implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long an idle poller waits before reading again: short after records, then longer. */
  private static final long FIRST_WAIT_MILLIS = 50;

  private static final long LONGEST_WAIT_MILLIS = 1000;

  private final URI endpoint;
  private final String region;
  private final FunctionHost host;
  private final FunctionSpec.StreamSource source;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Thread thread;
  private final dev.custodian.local.iam.IamGate iam;
  private volatile boolean running = true;
  private volatile int invocations;
  private volatile long caughtUpAt;
  private volatile boolean paused;
  private volatile long iteratorAgeMillis;

  /** Guards {@link #nudged}; an idle wait waits on it. */
  private final Object idle = new Object();

  private boolean nudged;

  StreamPoller(
      URI endpoint,
      String region,
      FunctionHost host,
      FunctionSpec.StreamSource source,
      dev.custodian.local.iam.IamGate iam) {
    this.iam = iam;
    this.endpoint = endpoint;
    this.region = region;
    this.host = host;
    this.source = source;
    this.thread = new Thread(this::run, "stream-" + host.spec().logicalId());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  int invocations() {
    return invocations;
  }

  /** Holds the records back (they wait in the stream) until unpaused. */
  void pause(boolean value) {
    paused = value;
  }

  /**
   * Lambda's {@code IteratorAge}: at the last delivery, how long ago the batch's last record was
   * written to the stream (0 when the stream is read to its end).
   */
  long iteratorAgeMillis() {
    return iteratorAgeMillis;
  }

  /** Whether the poller has read the stream to its end since {@code since} (a nanoTime). */
  boolean caughtUpSince(long since) {
    return caughtUpAt - since > 0;
  }

  private void run() {
    String iterator = null;
    long wait = FIRST_WAIT_MILLIS;
    while (running) {
      try {
        if (paused) {
          sleep(Duration.ofMillis(FIRST_WAIT_MILLIS));
          continue;
        }
        if (iterator == null) {
          iterator = firstIterator();
          if (iterator == null) {
            sleep(Duration.ofMillis(LONGEST_WAIT_MILLIS));
            continue;
          }
        }
        long asked = System.nanoTime();
        JsonNode page =
            call(
                "GetRecords",
                JSON.createObjectNode()
                    .put("ShardIterator", iterator)
                    .put("Limit", source.batchSize()));
        ArrayNode records = (ArrayNode) page.path("Records");
        if (records.isEmpty()) {
          caughtUpAt = asked; // nothing was left when this read began
          iteratorAgeMillis = 0;
          idleWait(wait);
          wait = Math.min(LONGEST_WAIT_MILLIS, wait * 2);
        } else {
          deliver(records);
          double written =
              records
                  .get(records.size() - 1)
                  .path("dynamodb")
                  .path("ApproximateCreationDateTime")
                  .asDouble(System.currentTimeMillis() / 1000.0);
          iteratorAgeMillis = Math.max(0, System.currentTimeMillis() - (long) (written * 1000));
          wait = FIRST_WAIT_MILLIS;
        }
        iterator = page.path("NextShardIterator").asText(null);
      } catch (IOException | RuntimeException e) {
        if (running) {
          System.err.println(
              "[stream] " + host.spec().logicalId() + ": " + e.getClass().getSimpleName());
          iterator = null;
          sleep(Duration.ofSeconds(1));
        }
      }
    }
  }

  /** Invokes until the batch succeeds, or until the retries allowed are spent. */
  private void deliver(ArrayNode records) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode out = event.putArray("Records");
    for (JsonNode record : records) {
      out.add(((ObjectNode) record.deepCopy()).put("eventSourceARN", source.streamArn()));
    }
    String body = event.toString();
    for (int attempt = 0; running; attempt++) {
      try {
        host.invoke(body, UUID.randomUUID().toString());
        invocations++;
        return;
      } catch (FunctionHost.InvocationFailed e) {
        System.err.println(
            "[stream] " + host.spec().logicalId() + " failed a batch of " + records.size());
        if (source.maximumRetryAttempts() >= 0 && attempt >= source.maximumRetryAttempts()) {
          return; // discarded, as Lambda does once the retries are spent
        }
        sleep(Duration.ofMillis(500));
      }
    }
  }

  /** The shard's iterator from its start (the local cloud's tables start empty). */
  private String firstIterator() throws IOException {
    JsonNode stream =
        call("DescribeStream", JSON.createObjectNode().put("StreamArn", source.streamArn()));
    JsonNode shards = stream.path("StreamDescription").path("Shards");
    if (shards.isEmpty()) {
      return null;
    }
    return call(
            "GetShardIterator",
            JSON.createObjectNode()
                .put("StreamArn", source.streamArn())
                .put("ShardId", shards.get(0).path("ShardId").asText())
                .put("ShardIteratorType", "TRIM_HORIZON"))
        .path("ShardIterator")
        .asText(null);
  }

  private JsonNode call(String operation, ObjectNode body) throws IOException {
    // Lambda reads the stream with the function's role.
    iam.check(
            host.spec().logicalId(),
            dev.custodian.local.iam.AccessRequest.of("dynamodb:" + operation, source.streamArn()))
        .ifPresent(
            denial -> {
              throw new IllegalStateException(denial.line());
            });
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .header("X-Amz-Target", "DynamoDBStreams_20120810." + operation)
            .header("Content-Type", "application/x-amz-json-1.0")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential="
                    + Emulator.ACCESS_KEY_ID
                    + "/20260101/"
                    + region
                    + "/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(operation + " answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Ends the current idle wait, so that the next read starts now: a test that waits for the
   * consumers to catch up then waits for one read, not for the rest of the idle poller's backoff.
   */
  void nudge() {
    synchronized (idle) {
      nudged = true;
      idle.notifyAll();
    }
  }

  /** Waits {@code millis} after a read that found nothing, or until {@link #nudge}d. */
  private void idleWait(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (idle) {
      try {
        for (long left = end - System.nanoTime();
            !nudged && running && left > 0;
            left = end - System.nanoTime()) {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
      nudged = false;
    }
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
