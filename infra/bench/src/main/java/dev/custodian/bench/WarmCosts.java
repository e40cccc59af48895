package dev.custodian.bench;

import static dev.custodian.bench.SampleEvents.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.emulator.Emulator;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The warm cost of each route: the handler invoked in-process (or over HTTP through the local
 * cloud) after warm-up, interleaved with a bare SDK call of the same kind on the same emulator
 * (docs/benchmarks.md, "Warm cost").
 */
final class WarmCosts {

  /** What a route is set against: a bare SDK call, named in the row. */
  private record Baseline(String name, Runnable call) {}

  private final LocalCloud cloud;
  private final Report report;
  private final int iterations;
  private final int warmup;

  private WarmCosts(LocalCloud cloud, Report report, int iterations, int warmup) {
    this.cloud = cloud;
    this.report = report;
    this.iterations = iterations;
    this.warmup = warmup;
  }

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    // The baseline takes the functions' path to the emulator: through the local IAM proxy.
    try (Emulator viaProxy = new Emulator(cloud.proxy().endpoint(), cloud.emulator().region())) {
      new WarmCosts(cloud, report, quick ? 15 : 300, quick ? 5 : 50).run(viaProxy.dynamoDb());
    }
  }

  private void run(DynamoDbClient dynamoDb) throws IOException {
    String scratch = cloud.ref("IdempotencyTable");
    Baseline putItem =
        new Baseline(
            "PutItem",
            () ->
                dynamoDb.putItem(
                    b ->
                        b.tableName(scratch)
                            .item(
                                Map.of("pk", AttributeValue.fromS("bench#" + UUID.randomUUID())))));
    String known = "bench.known." + UUID.randomUUID() + "@example.com";
    String placeOrder = SampleEvents.read("orders/place-order.json");
    JsonNode placed =
        FunctionCalls.answer(
            cloud.invoke("PlaceOrderFunction", SampleEvents.fresh(placeOrder, known)), 201);
    String orderId = placed.path("orderId").asText();
    Baseline getItem =
        new Baseline(
            "GetItem",
            () ->
                dynamoDb.getItem(
                    b ->
                        b.tableName(cloud.ref("OrdersTable"))
                            .key(
                                Map.of(
                                    "pk", AttributeValue.fromS("order#" + orderId),
                                    "sk", AttributeValue.fromS("transaction")))));

    time(
        "POST /orders, known customer (in-process)",
        () ->
            FunctionCalls.invoke(
                cloud, "PlaceOrderFunction", SampleEvents.fresh(placeOrder, known), 201),
        putItem,
        1.5);
    time(
        "bare TransactWriteItems of an order's shape (5 items, SDK direct: the floor on moto)",
        new BareOrderTransaction(dynamoDb, cloud),
        putItem,
        null);
    time(
        "POST /orders, known customer (HTTP through the local cloud)",
        overHttp(placeOrder, known),
        putItem,
        4.0);
    String readEvent = readOrderEvent(placed);
    time(
        "GET /orders/{id} with its token (in-process)",
        () -> FunctionCalls.invoke(cloud, "ReadOrderFunction", readEvent, 200),
        getItem,
        null);
    time(
        "POST /contact, new sender (in-process)",
        freshEach("ContactFunction", "contact/submit.json", 202),
        putItem,
        null);
    time(
        "POST /events, 2 events (in-process)",
        freshEach("AnalyticsIngestFunction", "analytics/ingest.json", 202),
        putItem,
        null);
    time(
        "POST /privacy/requests, new email (in-process)",
        freshEach("PrivacyRequestFunction", "privacy/create-request.json", 202),
        putItem,
        null);
    String policy = SampleEvents.read("privacy/get-policy.json");
    time(
        "GET /privacy/policy (in-process)",
        () -> FunctionCalls.invoke(cloud, "PolicyFunction", policy, 200),
        getItem,
        null);
  }

  /** {@code POST /orders} for a known customer through the local cloud's API, a new key each. */
  private Runnable overHttp(String placeOrder, String known) throws IOException {
    ApiClient api = new ApiClient(cloud.baseUri());
    JsonNode orderBody = JSON.readTree(JSON.readTree(placeOrder).path("body").asText());
    ((ObjectNode) orderBody.path("customer")).put("email", known);
    return () -> {
      var response =
          api.post("/orders", orderBody, Map.of("idempotency-key", "bench-" + UUID.randomUUID()));
      if (response.status() != 201) {
        throw new IllegalStateException("POST /orders answered " + response.status());
      }
    };
  }

  /** {@code GET /orders/{id}} for the order placed, with its token. */
  private static String readOrderEvent(JsonNode placed) throws IOException {
    ObjectNode read = SampleEvents.readObject("orders/get-order.json");
    String orderId = placed.path("orderId").asText();
    read.put("rawPath", "/orders/" + orderId);
    ((ObjectNode) read.path("pathParameters")).put("orderId", orderId);
    ((ObjectNode) read.path("headers"))
        .put("authorization", "Bearer " + placed.path("orderToken").asText());
    return JSON.writeValueAsString(read);
  }

  /** The function on its sample, made current for each call (a new sender, key or event times). */
  private Runnable freshEach(String logicalId, String sample, int status) throws IOException {
    String event = SampleEvents.read(sample);
    return () -> FunctionCalls.invoke(cloud, logicalId, SampleEvents.fresh(event, null), status);
  }

  /** The call and its baseline, warmed up, then timed in turn; one row. */
  private void time(String route, Runnable call, Baseline baseline, Double target) {
    for (int i = 0; i < warmup; i++) {
      call.run();
      baseline.call().run();
    }
    double[] calls = new double[iterations];
    double[] bases = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      call.run();
      calls[i] = (System.nanoTime() - start) / 1e6;
      start = System.nanoTime();
      baseline.call().run();
      bases[i] = (System.nanoTime() - start) / 1e6;
    }
    report.add(
        "Warm cost",
        route + " vs " + baseline.name(),
        Stats.of(calls),
        Stats.of(bases),
        Ratios.ofBlockMedians(calls, bases),
        "ms",
        target);
  }
}
