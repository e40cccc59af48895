package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The export worker against a thief and against an erasure running beside it: it exports only the
 * subject that verification stored on the request, nothing sealed under a key an erasure shredded
 * is published or served, and a person whose email failed is told on the next delivery.
 */
class ExportRacesIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  private Map<String, AttributeValue> raw(String table, String pk) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(cloud.ref(table))
                    .key(Map.of("pk", AttributeValue.fromS(pk)))
                    .consistentRead(true))
        .item();
  }

  private void sendExportMessage(String body) {
    cloud.emulator().sqs().sendMessage(b -> b.queueUrl(cloud.ref("ExportQueue")).messageBody(body));
  }

  @Test
  void aForgedMessage_namingAnotherSubject_exportsOnlyTheRequestsOwn() {
    // GIVEN a customer with an order, and a thief's access request for an address never used
    String victimEmail = "victim." + UUID.randomUUID() + "@example.com";
    String orderId = scenarios.placeOrder(victimEmail).path("orderId").asText();
    String victimSubject =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(cloud.ref("OrdersTable"))
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS("order#" + orderId),
                                "sk", AttributeValue.fromS("transaction")))
                        .consistentRead(true))
            .item()
            .get("subjectId")
            .s();
    String thiefEmail = "thief." + UUID.randomUUID() + "@example.com";
    Request thief = scenarios.verifiedRequest("ACCESS", thiefEmail);

    // WHEN a message naming the victim's subject reaches the queue for the thief's request
    sendExportMessage(
        "{\"requestId\":\"" + thief.id() + "\",\"subjectId\":\"" + victimSubject + "\"}");
    JsonNode done = scenarios.awaitCompleted(thief);

    // THEN the thief's request holds nothing of anyone (it completed as "no data held")
    assertThat(done.path("result").path("noDataHeld").asBoolean()).isTrue();
    ApiClient.Response export =
        api.get("/privacy/requests/" + thief.id() + "/export", thief.bearer());
    assertThat(export.status()).isEqualTo(404);
    assertThat(export.body()).doesNotContain(victimEmail);
    assertThat(raw("ExportsTable", "export#" + thief.id())).isEmpty();
  }

  @Test
  void afterAnErasure_noExportIsPublishedOrServed_evenWithTheKeyStillCached() {
    // GIVEN a customer whose export was prepared and read (the key is cached in both functions)
    String email = "erased." + UUID.randomUUID() + "@example.com";
    scenarios.placeOrder(email);
    Request first = scenarios.verifiedRequest("ACCESS", email);
    assertThat(scenarios.export(first).status()).isEqualTo(200);
    Map<String, AttributeValue> manifest = raw("ExportsTable", "export#" + first.id());
    Request second = scenarios.verifiedRequest("ACCESS", email);
    scenarios.awaitCompleted(second);

    // WHEN the person is erased
    Request erasure = scenarios.verifiedRequest("ERASURE", email);
    assertThat(scenarios.awaitCompleted(erasure).path("result").path("keyShredded").asBoolean())
        .isTrue();

    // THEN an export put back (as a backup restored it) is not served by a container that still
    // holds the key in its cache
    cloud.emulator().dynamoDb().putItem(b -> b.tableName(cloud.ref("ExportsTable")).item(manifest));
    assertThat(api.get("/privacy/requests/" + first.id() + "/export", first.bearer()).status())
        .isEqualTo(404);

    // AND an access request still in progress when the erasure ran completes with nothing held
    cloud
        .emulator()
        .dynamoDb()
        .updateItem(
            b ->
                b.tableName(cloud.ref("PrivacyRequestsTable"))
                    .key(Map.of("pk", AttributeValue.fromS("request#" + second.id())))
                    .updateExpression("SET #s = :p")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("IN_PROGRESS"))));
    cloud
        .emulator()
        .dynamoDb()
        .deleteItem(
            b ->
                b.tableName(cloud.ref("ExportsTable"))
                    .key(Map.of("pk", AttributeValue.fromS("export#" + second.id()))));
    sendExportMessage("{\"requestId\":\"" + second.id() + "\"}");
    assertThat(scenarios.awaitCompleted(second).path("result").path("noDataHeld").asBoolean())
        .isTrue();
    assertThat(raw("ExportsTable", "export#" + second.id())).isEmpty();
  }

  @Test
  void anEmailThatFailed_isSentOnTheNextDelivery_andTheExportIsPublishedOnce() {
    String email = "told." + UUID.randomUUID() + "@example.com";
    scenarios.placeOrder(email);
    String worker = cloud.function("ExportWorkerFunction").name();
    // the worker's first SQS call (the completion email) fails, as if it crashed there
    cloud.proxy().failNth(k -> k.startsWith(worker + "|sqs|"), 1, false);
    try {
      Request request = scenarios.verifiedRequest("ACCESS", email);
      JsonNode done = scenarios.awaitCompleted(request);
      assertThat(done.path("result").path("export").path("pages").asInt()).isEqualTo(1);
      assertThat(scenarios.awaitEmail(email, "Request " + request.id() + " is complete"))
          .isNotBlank();
      assertThat(cloud.proxy().nthFailed()).isTrue();
      // told, and the mark is gone; one EXPORT audit record of the preparation
      for (int i = 0;
          i < 100
              && raw("PrivacyRequestsTable", "request#" + request.id()).containsKey("emailPending");
          i++) {
        sleep();
      }
      assertThat(raw("PrivacyRequestsTable", "request#" + request.id()))
          .doesNotContainKey("emailPending");
    } finally {
      cloud.proxy().failNth(k -> false, 1, false);
    }
  }

  @Test
  void aNoDataHeldEmailThatFailed_isSentOnTheNextDelivery_asNoDataHeld() {
    String email = "nobody." + UUID.randomUUID() + "@example.com";
    String worker = cloud.function("ExportWorkerFunction").name();
    cloud.proxy().failNth(k -> k.startsWith(worker + "|sqs|"), 1, false);
    try {
      Request request = scenarios.verifiedRequest("ACCESS", email);
      assertThat(scenarios.awaitCompleted(request).path("result").path("noDataHeld").asBoolean())
          .isTrue();
      assertThat(scenarios.awaitEmail(email, request.id() + ") about"))
          .contains("no personal data");
      assertThat(cloud.proxy().nthFailed()).isTrue();
    } finally {
      cloud.proxy().failNth(k -> false, 1, false);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
