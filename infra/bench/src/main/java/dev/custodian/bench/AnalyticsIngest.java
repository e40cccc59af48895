package dev.custodian.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.LocalCloud;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Analytics ingest pace: accepted events per second through {@code POST /events} (25 events a
 * request) with the stream consumer paused, then the consumer's own pace, each against a {@code
 * BatchWriteItem(25)} loop on the same table (docs/benchmarks.md, "Ingest").
 */
final class AnalyticsIngest {

  private static final int EVENTS_PER_REQUEST = 25;
  private static final Duration STREAM_WAIT = Duration.ofMinutes(2);

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final int requests;

  private AnalyticsIngest(LocalCloud cloud, int requests) {
    this.dynamoDb = cloud.emulator().dynamoDb();
    this.table = cloud.ref("AnalyticsEventsTable");
    this.requests = requests;
  }

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    int rounds = quick ? 2 : 5;
    AnalyticsIngest ingest = new AnalyticsIngest(cloud, quick ? 5 : 40);
    Supplier<String> request = requests();
    // Warm: the path compiled, and each of the 50 visitors' day markers written once (a visitor's
    // first full batch of the day in a container is two calls, every later one is one).
    for (int i = 0; i < (quick ? 5 : 200); i++) {
      FunctionCalls.invoke(cloud, "AnalyticsIngestFunction", request.get(), 202);
    }
    double[] handler = new double[rounds];
    double[] raw = new double[rounds];
    double[] aggregator = new double[rounds];
    cloud.awaitStreams(STREAM_WAIT);
    for (int r = 0; r < rounds; r++) {
      // The aggregator counts the events from the stream, off the request path; on one machine it
      // would compete with both loops, so it waits, and its own pace is measured after.
      cloud.pauseStreams(true);
      long start = System.nanoTime();
      for (int i = 0; i < ingest.requests; i++) {
        FunctionCalls.invoke(cloud, "AnalyticsIngestFunction", request.get(), 202);
      }
      handler[r] = ingest.perSecond(start);
      cloud.pauseStreams(false);
      start = System.nanoTime();
      cloud.awaitStreams(STREAM_WAIT);
      aggregator[r] = ingest.perSecond(start);
      start = System.nanoTime();
      ingest.rawBatches();
      raw[r] = ingest.perSecond(start);
      cloud.awaitStreams(STREAM_WAIT);
    }
    report.add(
        "Ingest",
        "POST /events, 25 events a request (in-process) vs BatchWriteItem(25) loop",
        Stats.of(handler),
        Stats.of(raw),
        Ratios.paired(handler, raw),
        "events/s",
        0.8);
    report.add(
        "Ingest",
        "the aggregator counting those events from the stream (batches of up to 100) vs the same loop",
        Stats.of(aggregator),
        Stats.of(raw),
        Ratios.paired(aggregator, raw),
        "events/s",
        1.0);
  }

  /** Events a second over one round's requests, begun at {@code start}. */
  private double perSecond(long start) {
    return requests * EVENTS_PER_REQUEST / ((System.nanoTime() - start) / 1e9);
  }

  /** Ingest events of 25 mixed events each, from one of 50 visitors, a new session each. */
  private static Supplier<String> requests() throws Exception {
    ObjectNode template = SampleEvents.readObject("analytics/ingest.json");
    ObjectNode body = (ObjectNode) SampleEvents.JSON.readTree(template.path("body").asText());
    ArrayNode events = body.putArray("events");
    String[] types = {"PAGE_VIEW", "PRODUCT_VIEW", "ADD_TO_CART", "SEARCH", "PAGE_VIEW"};
    for (int e = 0; e < EVENTS_PER_REQUEST; e++) {
      ObjectNode event = events.addObject();
      event.put("type", types[e % types.length]);
      event.put("path", "/products/p" + (e % 7));
      if (types[e % types.length].equals("PRODUCT_VIEW")) {
        event.put("productId", "SKU-" + (e % 7));
      }
      event.put("occurredAt", Instant.now().minusSeconds(120).toString());
    }
    return () -> {
      body.put("visitorId", "v-bench-" + (int) (Math.random() * 50));
      body.put("sessionId", "s-" + UUID.randomUUID());
      template.put("body", body.toString());
      return template.toString();
    };
  }

  /**
   * The baseline loop: the same number of events written bare, 25 to a BatchWriteItem, each item of
   * the stored event's shape (its attributes and their kinds, as the route writes them), so the
   * loop is the floor of storing these events and not of smaller items.
   */
  private void rawBatches() {
    String day = LocalDate.now(ZoneOffset.UTC).toString();
    for (int i = 0; i < requests; i++) {
      List<WriteRequest> batch = new ArrayList<>();
      String pk = "raw#" + UUID.randomUUID().toString().replace("-", "");
      for (int e = 0; e < EVENTS_PER_REQUEST; e++) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        // not an event# key: the stream consumer's filter leaves the loop's items alone
        item.put("sk", AttributeValue.fromS("bare#" + Instant.now() + "#" + e));
        item.put("session", AttributeValue.fromS(pk.substring(4)));
        item.put("type", AttributeValue.fromS("PAGE_VIEW"));
        item.put("page", AttributeValue.fromS("product"));
        item.put("day", AttributeValue.fromS(day));
        item.put("device", AttributeValue.fromS("desktop"));
        item.put("browser", AttributeValue.fromS("firefox"));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond())));
        item.put("policyVersion", AttributeValue.fromS("2026-11-01"));
        item.put("productId", AttributeValue.fromS("SKU-" + (e % 7)));
        batch.add(
            WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
      }
      dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
    }
  }
}
