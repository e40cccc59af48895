package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.emulator.EmulatorProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The restore drill of docs/restore.md, end to end on a stack of its own: customers A and B with
 * orders, profiles and requests; a backup; A erased after the backup point; the data tables
 * restored into their original names (the key store and the tombstones never); the tombstones
 * re-applied through the erasure queue. A stays erased and unreadable; B comes back whole.
 */
class RestoreDrillIT {

  /** The tables the procedure restores (docs/restore.md says why the others are not). */
  static final List<String> RESTORED =
      List.of(
          "OrdersTable",
          "ContactTable",
          "ProfilesTable",
          "PrivacyRequestsTable",
          "AnalyticsAggregatesTable");

  /** A customer of the drill: an account with a profile, an order, a message and a request. */
  private record Customer(
      String email, Map<String, String> account, String orderId, String orderToken, String name) {}

  @Test
  void anErasureAfterTheBackupPoint_survivesTheRestore_andEveryoneElseComesBackWhole()
      throws Exception {
    LocalCloud shared = SharedLocalCloud.get();
    try (EmulatorProxy proxy = new EmulatorProxy(shared.emulator().endpoint());
        LocalCloud cloud = Reliability.behind(proxy, "restore", 4)) {
      ApiClient api = new ApiClient(cloud.baseUri());
      DynamoDbClient dynamo = shared.emulator().dynamoDb();
      Customer a = customer(api, "Ada Restored");
      Customer b = customer(api, "Bea Kept");

      // The backup point: what a point-in-time restore to this moment would bring back.
      Map<String, List<Map<String, AttributeValue>>> backup = new LinkedHashMap<>();
      for (String table : RESTORED) {
        backup.put(
            table,
            dynamo.scanPaginator(s -> s.tableName(cloud.ref(table))).items().stream().toList());
      }

      Scenarios scenarios = new Scenarios(api);
      Request erasure = scenarios.verifiedRequest("ERASURE", a.email());
      scenarios.awaitCompleted(erasure);
      Map<String, AttributeValue> request =
          item(dynamo, cloud.ref("PrivacyRequestsTable"), "request#" + erasure.id());
      List<String> subjectsOfA =
          List.of(request.get("subjectId").s(), request.get("accountSubjectId").s());
      String profileOfA = "profile#" + subjectsOfA.get(1);

      long started = System.nanoTime();
      for (String table : RESTORED) {
        restoreIntoOriginalName(dynamo, cloud.ref(table), backup.get(table));
      }
      assertThat(item(dynamo, cloud.ref("ProfilesTable"), profileOfA))
          .as("the restore brings A's profile back")
          .isNotEmpty();
      assertThat(orderItem(dynamo, cloud, a.orderId(), "contact"))
          .as("and A's order contact data")
          .isNotEmpty();

      // Re-apply the tombstones: the message an operator sends to the erasure queue.
      shared
          .emulator()
          .sqs()
          .sendMessage(
              m -> m.queueUrl(cloud.ref("ErasureQueue")).messageBody("{\"reapply\":true}"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!item(dynamo, cloud.ref("ProfilesTable"), profileOfA).isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      // The profile goes first; the transaction records are restricted right after, in the same
      // invocation: wait until the worker is done, not only started.
      assertThat(cloud.awaitQueues(Duration.ofSeconds(60))).as("the re-application ends").isTrue();
      Reliability.figure(
          "Restore drill",
          "restore of " + RESTORED.size() + " tables and tombstone re-application",
          Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");

      // A: erased again in the restored tables, its keys still gone from the key store.
      assertThat(item(dynamo, cloud.ref("ProfilesTable"), profileOfA)).isEmpty();
      assertThat(orderItem(dynamo, cloud, a.orderId(), "contact")).isEmpty();
      Map<String, AttributeValue> transaction =
          orderItem(dynamo, cloud, a.orderId(), "transaction");
      assertThat(transaction).as("kept for tax, restricted").containsKey("restricted");
      assertThat(transaction).doesNotContainKey("subjectId");
      for (String subject : subjectsOfA) {
        assertThat(item(dynamo, cloud.ref("SubjectsTable"), "subject#" + subject))
            .as("the key store is never restored")
            .isEmpty();
      }
      List<String> naming = new ArrayList<>();
      for (String table : RESTORED) {
        for (Map<String, AttributeValue> item :
            dynamo.scanPaginator(s -> s.tableName(cloud.ref(table))).items()) {
          if (item.toString().contains(subjectsOfA.get(0))
              || item.toString().contains(subjectsOfA.get(1))) {
            naming.add(table + " " + item.get("pk").s());
          }
        }
      }
      assertThat(naming)
          .as("restored items still tied to A (only A's request records may be)")
          .allMatch(found -> found.startsWith("PrivacyRequestsTable request#"))
          .noneMatch(found -> found.endsWith("#email"));
      ApiClient.Response orderOfA =
          api.get("/orders/" + a.orderId(), Map.of("authorization", "Bearer " + a.orderToken()));
      assertThat(orderOfA.body()).doesNotContain(a.email()).doesNotContain(a.name());
      JsonNode meOfA = api.get("/me", a.account()).json();
      assertThat(meOfA.path("name").isMissingNode() || meOfA.path("name").isNull()).isTrue();

      // B: everything back, read through the API.
      ApiClient.Response orderOfB =
          api.get("/orders/" + b.orderId(), Map.of("authorization", "Bearer " + b.orderToken()));
      assertThat(orderOfB.status()).isEqualTo(200);
      assertThat(orderOfB.body()).contains(b.email());
      assertThat(api.get("/me", b.account()).json().path("name").asText()).isEqualTo(b.name());
      assertThat(api.get("/me/orders", b.account()).body()).contains(b.orderId());
    }
  }

  /** A customer's life before the backup, through the API. */
  private static Customer customer(ApiClient api, String name) {
    String email = "restore." + UUID.randomUUID() + "@example.com";
    Scenarios scenarios = new Scenarios(api);
    Map<String, String> account = scenarios.signIn("acct-" + UUID.randomUUID(), email);
    JsonNode order = scenarios.placeOrder(email);
    assertThat(
            api.send("PUT", "/me", ApiClient.write(Map.of("version", 0, "name", name)), account)
                .status())
        .isEqualTo(200);
    assertThat(
            api.post(
                    "/contact",
                    Map.of(
                        "email", email,
                        "topic", "ORDER",
                        "message", "Please gift-wrap it.",
                        "policyVersion", "2026-11-01"),
                    Map.of())
                .status())
        .isEqualTo(202);
    scenarios.awaitCompleted(scenarios.verifiedRequest("ACCESS", email));
    return new Customer(
        email, account, order.path("orderId").asText(), order.path("orderToken").asText(), name);
  }

  /**
   * What restoring a table into its original name does (docs/restore.md): the live table goes, a
   * table of the same name, keys, indexes and encryption is created and filled with the backup's
   * items (as DynamoDB's import from the point-in-time export does), and TTL is turned on again.
   */
  private static void restoreIntoOriginalName(
      DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
    TableDescription live = dynamo.describeTable(d -> d.tableName(table)).table();
    String ttl =
        dynamo.describeTimeToLive(d -> d.tableName(table)).timeToLiveDescription().attributeName();
    dynamo.deleteTable(d -> d.tableName(table));
    CreateTableRequest.Builder create =
        CreateTableRequest.builder()
            .tableName(table)
            .attributeDefinitions(live.attributeDefinitions())
            .keySchema(live.keySchema())
            .billingMode(BillingMode.PAY_PER_REQUEST);
    if (live.hasGlobalSecondaryIndexes() && !live.globalSecondaryIndexes().isEmpty()) {
      create.globalSecondaryIndexes(
          live.globalSecondaryIndexes().stream()
              .map(
                  g ->
                      GlobalSecondaryIndex.builder()
                          .indexName(g.indexName())
                          .keySchema(g.keySchema())
                          .projection(g.projection())
                          .build())
              .toList());
    }
    if (live.sseDescription() != null && live.sseDescription().kmsMasterKeyArn() != null) {
      create.sseSpecification(
          s ->
              s.enabled(true)
                  .sseType(SSEType.KMS)
                  .kmsMasterKeyId(live.sseDescription().kmsMasterKeyArn()));
    }
    dynamo.createTable(create.build());
    if (ttl != null) {
      dynamo.updateTimeToLive(
          u -> u.tableName(table).timeToLiveSpecification(t -> t.attributeName(ttl).enabled(true)));
    }
    for (int from = 0; from < items.size(); from += 25) {
      List<WriteRequest> puts =
          items.subList(from, Math.min(items.size(), from + 25)).stream()
              .map(i -> WriteRequest.builder().putRequest(p -> p.item(i)).build())
              .toList();
      Map<String, List<WriteRequest>> batch = Map.of(table, puts);
      while (!batch.isEmpty()) {
        Map<String, List<WriteRequest>> asked = batch;
        var answer = dynamo.batchWriteItem(w -> w.requestItems(asked));
        batch = answer.hasUnprocessedItems() ? answer.unprocessedItems() : Map.of();
      }
    }
  }

  private static Map<String, AttributeValue> item(DynamoDbClient dynamo, String table, String pk) {
    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                g ->
                    g.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(pk)))
                        .consistentRead(true))
            .item();
    return item == null ? Map.of() : item;
  }

  private static Map<String, AttributeValue> orderItem(
      DynamoDbClient dynamo, LocalCloud cloud, String orderId, String sk) {
    Map<String, AttributeValue> item =
        dynamo
            .getItem(
                g ->
                    g.tableName(cloud.ref("OrdersTable"))
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS("order#" + orderId),
                                "sk", AttributeValue.fromS(sk)))
                        .consistentRead(true))
            .item();
    return item == null ? Map.of() : item;
  }
}
