package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
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
  private final ApiClient api = new ApiClient(cloud.baseUri());

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
    String orderId = api.placeOrder(victimEmail).path("orderId").asText();
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
    String[] thief = api.verifiedRequest("ACCESS", thiefEmail);

    // WHEN a message naming the victim's subject reaches the queue for the thief's request
    sendExportMessage(
        "{\"requestId\":\"" + thief[0] + "\",\"subjectId\":\"" + victimSubject + "\"}");
    JsonNode done = api.awaitCompleted(thief[0], thief[1]);

    // THEN the thief's request holds nothing of anyone (it completed as "no data held")
    assertThat(done.path("result").path("noDataHeld").asBoolean()).isTrue();
    ApiClient.Response export =
        api.get(
            "/privacy/requests/" + thief[0] + "/export",
            Map.of("authorization", "Bearer " + thief[1]));
    assertThat(export.status()).isEqualTo(404);
    assertThat(export.body()).doesNotContain(victimEmail);
    assertThat(raw("ExportsTable", "export#" + thief[0])).isEmpty();
  }

  @Test
  void afterAnErasure_noExportIsPublishedOrServed_evenWithTheKeyStillCached() {
    // GIVEN a customer whose export was prepared and read (the key is cached in both functions)
    String email = "erased." + UUID.randomUUID() + "@example.com";
    api.placeOrder(email);
    String[] first = api.verifiedRequest("ACCESS", email);
    assertThat(api.export(first[0], first[1]).status()).isEqualTo(200);
    Map<String, AttributeValue> manifest = raw("ExportsTable", "export#" + first[0]);
    String[] second = api.verifiedRequest("ACCESS", email);
    api.awaitCompleted(second[0], second[1]);

    // WHEN the person is erased
    String[] erasure = api.verifiedRequest("ERASURE", email);
    assertThat(
            api.awaitCompleted(erasure[0], erasure[1])
                .path("result")
                .path("keyShredded")
                .asBoolean())
        .isTrue();

    // THEN an export put back (as a backup restored it) is not served by a container that still
    // holds the key in its cache
    cloud.emulator().dynamoDb().putItem(b -> b.tableName(cloud.ref("ExportsTable")).item(manifest));
    assertThat(
            api.get(
                    "/privacy/requests/" + first[0] + "/export",
                    Map.of("authorization", "Bearer " + first[1]))
                .status())
        .isEqualTo(404);

    // AND an access request still in progress when the erasure ran completes with nothing held
    cloud
        .emulator()
        .dynamoDb()
        .updateItem(
            b ->
                b.tableName(cloud.ref("PrivacyRequestsTable"))
                    .key(Map.of("pk", AttributeValue.fromS("request#" + second[0])))
                    .updateExpression("SET #s = :p")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("IN_PROGRESS"))));
    cloud
        .emulator()
        .dynamoDb()
        .deleteItem(
            b ->
                b.tableName(cloud.ref("ExportsTable"))
                    .key(Map.of("pk", AttributeValue.fromS("export#" + second[0]))));
    sendExportMessage("{\"requestId\":\"" + second[0] + "\"}");
    assertThat(
            api.awaitCompleted(second[0], second[1]).path("result").path("noDataHeld").asBoolean())
        .isTrue();
    assertThat(raw("ExportsTable", "export#" + second[0])).isEmpty();
  }

  @Test
  void anEmailThatFailed_isSentOnTheNextDelivery_andTheExportIsPublishedOnce() {
    String email = "told." + UUID.randomUUID() + "@example.com";
    api.placeOrder(email);
    String worker = cloud.function("ExportWorkerFunction").name();
    // the worker's first SQS call (the completion email) fails, as if it crashed there
    cloud.proxy().failNth(k -> k.startsWith(worker + "|sqs|"), 1, false);
    try {
      String[] request = api.verifiedRequest("ACCESS", email);
      JsonNode done = api.awaitCompleted(request[0], request[1]);
      assertThat(done.path("result").path("export").path("pages").asInt()).isEqualTo(1);
      assertThat(api.awaitEmail(email, "Request " + request[0] + " is complete")).isNotBlank();
      assertThat(cloud.proxy().nthFailed()).isTrue();
      // told, and the mark is gone; one EXPORT audit record of the preparation
      for (int i = 0;
          i < 100
              && raw("PrivacyRequestsTable", "request#" + request[0]).containsKey("emailPending");
          i++) {
        sleep();
      }
      assertThat(raw("PrivacyRequestsTable", "request#" + request[0]))
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
      String[] request = api.verifiedRequest("ACCESS", email);
      assertThat(
              api.awaitCompleted(request[0], request[1])
                  .path("result")
                  .path("noDataHeld")
                  .asBoolean())
          .isTrue();
      assertThat(api.awaitEmail(email, request[0] + ") about")).contains("no personal data");
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
