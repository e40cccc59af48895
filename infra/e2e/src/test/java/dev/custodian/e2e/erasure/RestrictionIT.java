package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What erasure keeps of a transaction record for tax: the record itself, byte for byte, less only
 * what points at the person — read straight from the table before and after.
 */
class RestrictionIT {

  private static final Map<String, String> OPERATOR =
      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);
  private static final List<String> REMOVED =
      List.of("paymentReference", "providerReference", "subjectId", "history");

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  private String placeOrder(String email) throws Exception {
    JsonNode event =
        Json.MAPPER.readTree(Files.readString(ProjectFiles.event("orders/place-order.json")));
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree(event.path("body").asText());
    ((ObjectNode) body.path("customer")).put("email", email);
    Response placed =
        api.post("/orders", body, Map.of("idempotency-key", "k-" + UUID.randomUUID()));
    assertThat(placed.status()).isEqualTo(201);
    return placed.json().path("orderId").asText();
  }

  private Map<String, AttributeValue> transaction(String orderId) {
    return cloud
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
        .item();
  }

  private JsonNode erase(String email) throws Exception {
    String requestId =
        api.post("/privacy/requests", Map.of("type", "ERASURE", "email", email), Map.of())
            .json()
            .path("requestId")
            .asText();
    Response verified =
        api.post(
            "/privacy/requests/" + requestId + "/verify",
            Map.of("code", api.codeFor(email, requestId)),
            Map.of());
    assertThat(verified.status()).isEqualTo(200);
    Map<String, String> bearer =
        Map.of("authorization", "Bearer " + verified.json().path("requestToken").asText());
    for (int i = 0; i < 300; i++) {
      JsonNode status = api.get("/privacy/requests/" + requestId, bearer).json();
      if ("COMPLETED".equals(status.path("status").asText())) {
        return status.path("result");
      }
      Thread.sleep(100);
    }
    throw new AssertionError("erasure did not complete");
  }

  @Test
  void erasure_keepsEveryTaxAttributeOfTheTransactionRecord_andRemovesOnlyThePersonsPointers()
      throws Exception {
    String email = "restrict." + UUID.randomUUID() + "@example.com";
    String plain = placeOrder(email);
    String noted = placeOrder(email);
    // paid through the provider's signed webhook: its reference is sealed on the record
    Response paid = api.post("/_local/pay/" + noted, "", Map.of());
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);
    for (String status : List.of("PACKED")) {
      Response changed =
          api.send(
              "PATCH",
              "/admin/orders/" + noted + "/status",
              "{\"status\":\"" + status + "\",\"note\":\"left with the neighbour\"}",
              OPERATOR);
      assertThat(changed.status()).isEqualTo(200);
    }
    Map<String, Map<String, AttributeValue>> before = new HashMap<>();
    for (String orderId : List.of(plain, noted)) {
      before.put(orderId, transaction(orderId));
    }
    assertThat(before.get(noted).get("history").l().get(2).m()).containsKey("note");
    assertThat(before.get(noted)).containsKey("providerReference");

    JsonNode report = erase(email);

    assertThat(report.path("restricted").path("TRANSACTION").path("count").asInt()).isEqualTo(2);
    for (String orderId : List.of(plain, noted)) {
      Map<String, AttributeValue> was = before.get(orderId);
      Map<String, AttributeValue> now = transaction(orderId);
      assertThat(now.get("restricted").bool()).as(orderId).isTrue();
      assertThat(now)
          .as(orderId)
          .doesNotContainKeys("paymentReference", "providerReference", "subjectId");
      Map<String, AttributeValue> kept = new HashMap<>(was);
      REMOVED.forEach(kept::remove);
      Map<String, AttributeValue> left = new HashMap<>(now);
      left.remove("restricted");
      left.remove("history");
      assertThat(left).as("every other attribute of %s, byte for byte", orderId).isEqualTo(kept);
      assertThat(now.get("expiresAt")).as(orderId).isEqualTo(was.get("expiresAt"));
      assertThat(now.get("history").l()).hasSameSizeAs(was.get("history").l());
      for (int i = 0; i < was.get("history").l().size(); i++) {
        Map<String, AttributeValue> entry = new HashMap<>(was.get("history").l().get(i).m());
        entry.remove("note");
        assertThat(now.get("history").l().get(i).m())
            .as("history entry %d of %s without its sealed note", i, orderId)
            .isEqualTo(entry);
      }
    }
    // Restricted records are out of the person's index: no route, export or resumed erasure
    // reaches them through the subject any more.
    String subjectId = before.get(plain).get("subjectId").s();
    List<Map<String, AttributeValue>> indexed =
        new ArrayList<>(
            cloud
                .emulator()
                .dynamoDb()
                .query(
                    q ->
                        q.tableName(cloud.ref("OrdersTable"))
                            .indexName("bySubject")
                            .keyConditionExpression("subjectId = :s")
                            .expressionAttributeValues(
                                Map.of(":s", AttributeValue.fromS(subjectId))))
                .items());
    assertThat(indexed).isEmpty();

    // A payment that arrives after the erasure is money to refund: recorded and flagged (naming
    // no one), and the restricted record is left as it was.
    Response late = api.post("/_local/pay/" + plain, "", Map.of());
    assertThat(late.status()).as(late.body()).isEqualTo(200);
    assertThat(late.json().path("answer").path("result").asText()).isEqualTo("FLAGGED");
    List<Map<String, AttributeValue>> partition =
        cloud
            .emulator()
            .dynamoDb()
            .query(
                q ->
                    q.tableName(cloud.ref("OrdersTable"))
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                            Map.of(":pk", AttributeValue.fromS("order#" + plain))))
            .items();
    assertThat(partition)
        .filteredOn(i -> i.get("sk").s().startsWith("payment#"))
        .singleElement()
        .satisfies(e -> assertThat(e.get("paymentFlag").s()).isEqualTo("PAID_WHILE_RESTRICTED"));
    Map<String, AttributeValue> after = transaction(plain);
    assertThat(after.get("status").s()).isEqualTo("RECEIVED");
    assertThat(after).doesNotContainKey("subjectId");
  }
}
