package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.MetricLines;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Erasure end to end through the local cloud: request, verification, the worker, the proof. */
class ErasureIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();
  private final Map<String, String> env = cloud.environmentOf("ErasureWorkerFunction");
  private final Map<String, String> accountEnv =
      cloud.accountEnvironmentOf("ErasureWorkerFunction");
  private final PrivacyCore freshCore =
      new PrivacyCore(
          CoreConfig.fromEnvironment(accountEnv),
          AwsClients.fromEnvironment(accountEnv),
          Clock.systemUTC());

  /** A person with two orders, a contact message and analytics events; returns what they hold. */
  private record Person(
      String email, String marker, List<String> orderIds, List<String> tokens, String visitorId) {}

  private Person seed() throws Exception {
    String marker = UUID.randomUUID().toString().substring(0, 8);
    String email = "erase." + marker + "@example.com";
    List<String> orders = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ObjectNode body = Scenarios.orderBody(email);
      ((ObjectNode) body.path("customer")).put("name", "Name " + marker);
      ((ObjectNode) body.path("shippingAddress")).put("line1", "Street " + marker);
      Response placed =
          api.post("/orders", body, Map.of("idempotency-key", "k-" + UUID.randomUUID()));
      assertThat(placed.status()).isEqualTo(201);
      orders.add(placed.json().path("orderId").asText());
      tokens.add(placed.json().path("orderToken").asText());
    }
    Response contact =
        api.post(
            "/contact",
            Map.of(
                "email",
                email,
                "topic",
                "PRIVACY",
                "message",
                "Message " + marker,
                "policyVersion",
                "2026-11-01"),
            Map.of());
    assertThat(contact.status()).isEqualTo(202);
    String visitorId = "visitor-" + marker + "-" + UUID.randomUUID();
    String page = "/p/erasure-test";
    assertThat(scenarios.pageViews(visitorId, page, page, page).json().path("accepted").asInt())
        .isEqualTo(3);
    return new Person(email, marker, orders, tokens, visitorId);
  }

  /**
   * An access request of the person, verified and prepared: its export is held for 7 days. It is
   * then made to look like a large export, stored as a manifest and parts (the parts' sealed
   * content does not matter to the erasure); answers the export's item keys.
   */
  private List<String> exportFor(Person person) {
    Request request = scenarios.verifiedRequest("ACCESS", person.email());
    scenarios.awaitCompleted(request);
    String manifest = "export#" + request.id();
    String table = cloud.ref("ExportsTable");
    List<String> keys = new ArrayList<>(List.of(manifest));
    for (int n = 0; n < 2; n++) {
      String part = manifest + "#g1#" + n;
      keys.add(part);
      cloud
          .emulator()
          .dynamoDb()
          .putItem(
              b ->
                  b.tableName(table)
                      .item(
                          Map.of(
                              "pk", AttributeValue.fromS(part),
                              "bundle", AttributeValue.fromB(SdkBytes.fromUtf8String("sealed")))));
    }
    cloud
        .emulator()
        .dynamoDb()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS(manifest)))
                    .updateExpression("SET partCount = :two, generation = :g")
                    .expressionAttributeValues(
                        Map.of(
                            ":two", AttributeValue.fromN("2"), ":g", AttributeValue.fromS("g1"))));
    return keys;
  }

  /** The person's erasure, with their visitor id, verified (its answer is IN_PROGRESS). */
  private Request requestErasure(Person person) {
    String requestId =
        scenarios.request(
            "ERASURE", person.email(), Map.of("visitorIds", List.of(person.visitorId())));
    Response verified = scenarios.verify(requestId, scenarios.code(person.email(), requestId));
    assertThat(verified.status()).isEqualTo(200);
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    return Request.from(requestId, verified);
  }

  private List<Map<String, AttributeValue>> bySubject(String table, String subjectId) {
    return cloud
        .emulator()
        .dynamoDb()
        .query(
            q ->
                q.tableName(table)
                    .indexName("bySubject")
                    .keyConditionExpression("subjectId = :s")
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(subjectId))))
        .items();
  }

  private List<Map<String, AttributeValue>> rawOrderItems(String orderId) {
    return cloud
        .emulator()
        .dynamoDb()
        .query(
            q ->
                q.tableName(cloud.ref("OrdersTable"))
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS("order#" + orderId))))
        .items();
  }

  @Test
  void afterAnErasure_theSameEmailsNextOrderAndMessage_landOnANewReadableSubject()
      throws Exception {
    // The order and contact containers have just served this email: they remember its subject.
    Person person = seed();
    String erased = rawOrderItems(person.orderIds().get(0)).get(0).get("subjectId").s();
    scenarios.awaitCompleted(requestErasure(person));

    JsonNode placed = scenarios.placeOrder(person.email());
    String orderId = placed.path("orderId").asText();
    String subject = rawOrderItems(orderId).get(0).get("subjectId").s();
    assertThat(subject).as("not the erased subject").isNotEqualTo(erased);
    Response read =
        api.get(
            "/orders/" + orderId,
            Map.of("authorization", "Bearer " + placed.path("orderToken").asText()));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("customer").path("email").asText()).isEqualTo(person.email());

    Response contact =
        api.post(
            "/contact",
            Map.of(
                "email", person.email(),
                "topic", "OTHER",
                "message", "Back again",
                "policyVersion", "2026-11-01"),
            Map.of());
    assertThat(contact.status()).isEqualTo(202);
    assertThat(bySubject(cloud.ref("ContactTable"), subject)).hasSize(1);
    assertThat(bySubject(cloud.ref("ContactTable"), erased)).isEmpty();
  }

  @Test
  void aSubjectIsErasedEverywhere_provably_andADecoyIsUntouched() throws Exception {
    Person person = seed();
    Person decoy = seed();
    String subjectId = rawOrderItems(person.orderIds().get(0)).get(0).get("subjectId").s();
    List<Map<String, AttributeValue>> before = new ArrayList<>();
    person.orderIds().forEach(id -> before.addAll(rawOrderItems(id)));
    before.addAll(bySubject(cloud.ref("ContactTable"), subjectId));

    List<String> exportKeys = exportFor(person);
    Request request = requestErasure(person);
    MetricLines.Captured<JsonNode> erased =
        MetricLines.awaiting("ErasuresCompleted", 1, () -> scenarios.awaitCompleted(request));
    JsonNode done = erased.answer();

    JsonNode report = done.path("result");
    assertThat(report.path("deleted").path("ORDER_CONTACT").asInt()).isEqualTo(2);
    assertThat(report.path("deleted").path("CONTACT_MESSAGE").asInt()).isEqualTo(1);
    assertThat(report.path("deleted").path("ANALYTICS_EVENT").asInt()).isEqualTo(3);
    assertThat(report.path("restricted").path("TRANSACTION").path("count").asInt()).isEqualTo(2);
    assertThat(report.path("restricted").path("TRANSACTION").path("legalBasis").asText())
        .contains("legal obligation");
    assertThat(report.path("deleted").path("EXPORT").asInt()).isEqualTo(1);
    assertThat(report.path("keyShredded").asBoolean()).isTrue();
    // the export went with its parts
    for (String key : exportKeys) {
      assertThat(
              cloud
                  .emulator()
                  .dynamoDb()
                  .getItem(
                      b ->
                          b.tableName(cloud.ref("ExportsTable"))
                              .key(Map.of("pk", AttributeValue.fromS(key)))
                              .consistentRead(true))
                  .hasItem())
          .as(key)
          .isFalse();
    }
    // The metrics of the erasure: counts only, nothing naming the person or the request.
    assertThat(erased.lines())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.path("ErasuresCompleted").asLong()).isEqualTo(1);
              assertThat(line.path("ItemsErased").asLong()).isEqualTo(7);
              assertThat(line.path("RecordsRestricted").asLong()).isEqualTo(2);
              assertThat(line.toString()).doesNotContain(subjectId).doesNotContain(person.email());
            });

    // Only restricted transaction records are left, without the payment reference and no longer
    // linked to the subject.
    assertThat(bySubject(cloud.ref("OrdersTable"), subjectId)).isEmpty();
    for (String orderId : person.orderIds()) {
      assertThat(rawOrderItems(orderId))
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.get("sk").s()).isEqualTo("transaction");
                assertThat(t.get("restricted").bool()).isTrue();
                assertThat(t).doesNotContainKeys("paymentReference", "subjectId");
              });
    }
    assertThat(bySubject(cloud.ref("ContactTable"), subjectId)).isEmpty();
    assertThat(TableCounts.dump(cloud)).doesNotContain(person.marker());
    for (int i = 0; i < 2; i++) {
      assertThat(
              api.get(
                      "/orders/" + person.orderIds().get(i),
                      Map.of("authorization", "Bearer " + person.tokens().get(i)))
                  .status())
          .isEqualTo(404);
    }
    // Every sealed value captured before the erasure fails to open now.
    for (Map<String, AttributeValue> item : before) {
      for (String attribute : List.of("email", "name", "message")) {
        if (item.containsKey(attribute)) {
          String logical = item.containsKey("sk") ? "orders" : "contact";
          String itemKey =
              item.containsKey("sk")
                  ? item.get("pk").s() + "/" + item.get("sk").s()
                  : item.get("pk").s();
          assertThatThrownBy(
                  () ->
                      freshCore
                          .keyring()
                          .open(
                              subjectId,
                              new FieldAddress(logical, itemKey, attribute),
                              item.get(attribute)))
              .isInstanceOf(SubjectErasedException.class);
        }
      }
    }
    // The decoy is whole.
    Response decoyOrder =
        api.get(
            "/orders/" + decoy.orderIds().get(0),
            Map.of("authorization", "Bearer " + decoy.tokens().get(0)));
    assertThat(decoyOrder.status()).isEqualTo(200);
    assertThat(decoyOrder.json().path("customer").path("email").asText()).isEqualTo(decoy.email());
    // Exactly one completion in the audit trail.
    assertThat(freshCore.audit().forSubject(subjectId))
        .filteredOn(e -> e.action().equals("ERASE"))
        .hasSize(1);

    // Delivered three more times: nothing changes, still one completion.
    for (int i = 0; i < 3; i++) {
      cloud
          .emulator()
          .sqs()
          .sendMessage(
              b ->
                  b.queueUrl(cloud.ref("ErasureQueue"))
                      .messageBody(
                          Json.write(Map.of("requestId", request.id(), "subjectId", subjectId))));
    }
    Thread.sleep(3000);
    assertThat(freshCore.audit().forSubject(subjectId))
        .filteredOn(e -> e.action().equals("ERASE"))
        .hasSize(1);

    // A backup restore brings the old items back: they cannot be opened or served, and
    // re-applying the tombstones removes them again.
    for (Map<String, AttributeValue> item : before) {
      String table = item.containsKey("sk") ? cloud.ref("OrdersTable") : cloud.ref("ContactTable");
      cloud.emulator().dynamoDb().putItem(b -> b.tableName(table).item(item));
    }
    assertThat(
            api.get(
                    "/orders/" + person.orderIds().get(0),
                    Map.of("authorization", "Bearer " + person.tokens().get(0)))
                .status())
        .isEqualTo(404);
    cloud
        .emulator()
        .sqs()
        .sendMessage(b -> b.queueUrl(cloud.ref("ErasureQueue")).messageBody("{\"reapply\":true}"));
    // Every tombstone of the shared cloud is re-applied, 25 a message: a minute at most.
    for (int i = 0;
        i < 600
            && !(bySubject(cloud.ref("ContactTable"), subjectId).isEmpty()
                && bySubject(cloud.ref("OrdersTable"), subjectId).isEmpty());
        i++) {
      Thread.sleep(100);
    }
    assertThat(bySubject(cloud.ref("ContactTable"), subjectId)).isEmpty();
    assertThat(bySubject(cloud.ref("OrdersTable"), subjectId)).isEmpty();
    for (String orderId : person.orderIds()) {
      assertThat(rawOrderItems(orderId))
          .singleElement()
          .satisfies(t -> assertThat(t).doesNotContainKeys("paymentReference", "subjectId"));
    }
  }

  @Test
  void aMalformedMessage_isReportedAlone_andReachesTheDeadLetterQueue() throws Exception {
    String queue = cloud.ref("ErasureQueue");
    String deadLetters = cloud.ref("ErasureDeadLetterQueue");
    cloud
        .emulator()
        .sqs()
        .sendMessage(b -> b.queueUrl(queue).messageBody("{\"not\":\"an erasure\"}"));
    String found = null;
    for (int i = 0; i < 60 && found == null; i++) {
      var received =
          cloud
              .emulator()
              .sqs()
              .receiveMessage(b -> b.queueUrl(deadLetters).waitTimeSeconds(1))
              .messages();
      if (!received.isEmpty()) {
        found = received.get(0).body();
      }
    }
    assertThat(found).isEqualTo("{\"not\":\"an erasure\"}");
  }
}
