package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Exports of heavy customers (issue 15, defect 5): built off the request path, stored in parts that
 * each fit an item, served as one document up to the response limit and in pages past it.
 */
class HeavyExportIT {

  private static final int ORDERS = 2_000;
  private static final int MESSAGES = 20;
  private static final int MESSAGE_CHARS = 5_000;

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  @Test
  void aCustomerWith2000OrdersAnd20LongMessages_exportsCompletely_inSealedParts() throws Exception {
    String email = "heavy." + UUID.randomUUID() + "@example.com";
    String marker = "heavy-" + UUID.randomUUID().toString().substring(0, 8);
    long seedStart = System.nanoTime();
    placeOrders(email, ORDERS);
    sendMessages(email, marker, MESSAGES);
    long seedMillis = (System.nanoTime() - seedStart) / 1_000_000;

    String requestId = scenarios.request("ACCESS", email);
    String code = scenarios.code(email, requestId);
    cloud.proxy().reset();
    long verifyStart = System.nanoTime();
    Response verified = scenarios.verify(requestId, code);
    long verifyMillis = (System.nanoTime() - verifyStart) / 1_000_000;
    assertThat(verified.status()).isEqualTo(200);
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    Request request = Request.from(requestId, verified);
    JsonNode done = scenarios.awaitCompleted(request);
    long preparedMillis = (System.nanoTime() - verifyStart) / 1_000_000;

    String worker = cloud.function("ExportWorkerFunction").name();
    String workerCalls = cloud.proxy().operations(worker, "dynamodb");
    double emulatorMillis = 0;
    for (String op : List.of("Query", "BatchGetItem", "GetItem", "BatchWriteItem", "PutItem")) {
      for (double ms : cloud.proxy().upstreamMillis(worker, "dynamodb", op)) {
        emulatorMillis += ms;
      }
    }
    long serveStart = System.nanoTime();
    Response export = api.get("/privacy/requests/" + requestId + "/export", request.bearer());
    long serveMillis = (System.nanoTime() - serveStart) / 1_000_000;

    assertThat(export.status()).isEqualTo(200);
    JsonNode data = export.json().path("data");
    assertThat(export.json().path("pages").asInt()).isEqualTo(1);
    assertThat(done.path("result").path("export").path("pages").asInt()).isEqualTo(1);
    assertThat(data.path("orders")).hasSize(ORDERS);
    Set<String> orderIds = new HashSet<>();
    data.path("orders").forEach(o -> orderIds.add(o.path("orderId").asText()));
    assertThat(orderIds).hasSize(ORDERS);
    assertThat(data.path("orders").get(0).path("contact").path("email").asText()).isEqualTo(email);
    assertThat(data.path("contactMessages")).hasSize(MESSAGES);
    data.path("contactMessages")
        .forEach(
            m -> assertThat(m.path("message").asText()).hasSize(MESSAGE_CHARS).startsWith(marker));

    // The raw table: a manifest and parts that each fit an item, none of them readable.
    List<Map<String, AttributeValue>> stored = exportItems(requestId);
    Map<String, AttributeValue> manifest =
        stored.stream()
            .filter(i -> i.get("pk").s().equals("export#" + requestId))
            .findFirst()
            .orElseThrow();
    int parts = Integer.parseInt(manifest.get("partCount").n());
    assertThat(parts).isGreaterThan(1);
    assertThat(stored).hasSize(parts + 1);
    for (Map<String, AttributeValue> item : stored) {
      assertThat(item).containsKey("expiresAt");
      String raw = item.toString();
      assertThat(raw).doesNotContain(marker).doesNotContain(email);
      if (item.containsKey("bundle")) {
        assertThat(item.get("bundle").b().asByteArray().length).isLessThan(400_000);
      }
    }

    System.out.printf(
        "heavy export: %d orders and %d messages of %d chars (seeded in %d ms): verify answered"
            + " in %d ms, export prepared %d ms after verify, served in %d ms, %d bytes in %d"
            + " parts; the worker's DynamoDB calls: %s, %.0f ms of them in the emulator%n",
        ORDERS,
        MESSAGES,
        MESSAGE_CHARS,
        seedMillis,
        verifyMillis,
        preparedMillis,
        serveMillis,
        export.body().length(),
        parts,
        workerCalls,
        emulatorMillis);
  }

  private List<Map<String, AttributeValue>> exportItems(String requestId) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    cloud
        .emulator()
        .dynamoDb()
        .scanPaginator(
            b ->
                b.tableName(cloud.ref("ExportsTable"))
                    .filterExpression("begins_with(pk, :p)")
                    .expressionAttributeValues(
                        Map.of(":p", AttributeValue.fromS("export#" + requestId))))
        .items()
        .forEach(items::add);
    return items;
  }

  private void placeOrders(String email, int count) throws Exception {
    String json = Json.write(Scenarios.orderBody(email));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> placed = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        placed.add(
            pool.submit(
                () ->
                    api.send(
                            "POST",
                            "/orders",
                            json,
                            Map.of(
                                "content-type",
                                "application/json",
                                "idempotency-key",
                                "heavy-" + UUID.randomUUID()))
                        .status()));
      }
      for (Future<Integer> status : placed) {
        assertThat(status.get()).isEqualTo(201);
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Sends the messages through the contact route, as the person would over many hours: the sender's
   * hourly window is reset between them (as the next hour would).
   */
  private void sendMessages(String email, String marker, int count) throws Exception {
    JsonNode event =
        Json.MAPPER.readTree(Files.readString(ProjectFiles.event("contact/submit.json")));
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree(event.path("body").asText());
    body.put("email", email);
    body.put("message", (marker + "-" + "long message ".repeat(400)).substring(0, MESSAGE_CHARS));
    body.remove("orderId");
    for (int i = 0; i < count; i++) {
      Response sent = api.post("/contact", body, Map.of());
      if (sent.status() == 429) {
        resetRateWindows();
        sent = api.post("/contact", body, Map.of());
      }
      assertThat(sent.status()).isEqualTo(202);
    }
  }

  private void resetRateWindows() {
    String table = cloud.ref("ContactTable");
    cloud
        .emulator()
        .dynamoDb()
        .scanPaginator(
            b ->
                b.tableName(table)
                    .filterExpression("begins_with(pk, :rate)")
                    .expressionAttributeValues(Map.of(":rate", AttributeValue.fromS("rate#"))))
        .items()
        .forEach(
            item ->
                cloud
                    .emulator()
                    .dynamoDb()
                    .deleteItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk")))));
  }
}
