package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
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
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

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

  @Test
  void erasure_keepsEveryTaxAttributeOfTheTransactionRecord_andRemovesOnlyThePersonsPointers()
      throws Exception {
    String email = "restrict." + UUID.randomUUID() + "@example.com";
    String plain = scenarios.placeOrder(email).path("orderId").asText();
    String noted = scenarios.placeOrder(email).path("orderId").asText();
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

    JsonNode report = scenarios.erase(email).path("result");

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
