package dev.custodian.orders;

import static dev.custodian.orders.OrderFixtures.bearer;
import static dev.custodian.orders.OrderFixtures.freshEmail;
import static dev.custodian.orders.OrderFixtures.now;
import static dev.custodian.orders.OrderFixtures.order;
import static dev.custodian.orders.OrderFixtures.paymentEvent;
import static dev.custodian.orders.OrderFixtures.placed;
import static dev.custodian.orders.OrderFixtures.sendSigned;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The payment provider's webhook through the local cloud: what a forger or a mishap would do. */
class PaymentEventsIT {

  private static final long TOTAL = 2 * 1250 + 899;

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  private JsonNode newOrder() throws Exception {
    return placed(api, order(freshEmail()));
  }

  private JsonNode read(JsonNode placed) {
    return api.get(
            "/orders/" + placed.path("orderId").asText(),
            bearer(placed.path("orderToken").asText()))
        .json();
  }

  private static String reference() {
    return "pi_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Sends a signed event of this outcome for the order, now; answers the result. */
  private String send(String orderId, long amount, String currency, String outcome) {
    Response response =
        sendSigned(
            cloud,
            api,
            paymentEvent(orderId, amount, currency, outcome, reference()).toString(),
            now());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().path("result").asText();
  }

  private String pay(JsonNode placed) {
    return send(placed.path("orderId").asText(), TOTAL, "GBP", "succeeded");
  }

  private ObjectNode succeeded(JsonNode placed) {
    return paymentEvent(placed.path("orderId").asText(), TOTAL, "GBP", "succeeded", reference());
  }

  @Test
  void theLocalHelper_paysAnOrder_forItsTotal() throws Exception {
    JsonNode order = newOrder();
    Response paid = api.post("/_local/pay/" + order.path("orderId").asText(), "", Map.of());
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);
    assertThat(paid.json().path("event").path("amount").asLong()).isEqualTo(TOTAL);
    assertThat(paid.json().path("answer").path("result").asText()).isEqualTo("PAID");
    JsonNode read = read(order);
    assertThat(read.path("status").asText()).isEqualTo("PAID");
    assertThat(read.path("payment").path("cardLast4").asText()).isEqualTo("4242");
    assertThat(read.toString()).doesNotContain("pi_local_");
  }

  @Test
  void missingBadExpiredFutureAndTamperedSignatures_areRefusedAlike_andChangeNothing()
      throws Exception {
    JsonNode order = newOrder();
    String body = succeeded(order).toString();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long now = now();
    Map<String, Integer> before = TableCounts.of(cloud);

    List<Response> refused = new ArrayList<>();
    refused.add(api.send("POST", "/payments/events", body, Map.of()));
    refused.add(
        api.send(
            "POST", "/payments/events", body, Map.of("payment-signature", "t=" + now + ",v1=00")));
    refused.add(
        api.send(
            "POST",
            "/payments/events",
            body,
            Map.of("payment-signature", "t=" + now + ",v1=" + "0".repeat(64))));
    // signed with another secret
    refused.add(
        api.send(
            "POST",
            "/payments/events",
            body,
            Map.of("payment-signature", signedWithAnotherSecret(now, bytes))));
    refused.add(sendSigned(cloud, api, body, now - 301)); // expired
    refused.add(sendSigned(cloud, api, body, now + 360)); // from the future
    // a genuine signature of another body (the amount tampered after signing)
    String signature = cloud.signPaymentEvent(now, bytes);
    refused.add(
        api.send(
            "POST",
            "/payments/events",
            body.replace("\"amount\":" + TOTAL, "\"amount\":1"),
            Map.of("payment-signature", signature)));
    // a genuine signature with the timestamp moved
    refused.add(
        api.send(
            "POST",
            "/payments/events",
            body,
            Map.of("payment-signature", signature.replace("t=" + now, "t=" + (now - 1)))));

    for (Response response : refused) {
      assertThat(response.status()).as(response.body()).isEqualTo(401);
      assertThat(response.body()).isEqualTo(refused.get(0).body());
    }
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
    assertThat(read(order).path("status").asText()).isEqualTo("RECEIVED");
  }

  @Test
  void aReplayedEvent_isANoOpWithTheSameAnswer_andIsAuditedAsADisclosureFromTheProcessor()
      throws Exception {
    JsonNode order = newOrder();
    String body = succeeded(order).toString();
    Response first = sendSigned(cloud, api, body, now());
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().path("result").asText()).isEqualTo("PAID");
    Map<String, Integer> before = TableCounts.of(cloud);

    Response again = sendSigned(cloud, api, body, now());
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
    assertThat(read(order).path("history"))
        .extracting(h -> h.path("status").asText())
        .containsExactly("RECEIVED", "PAID");

    var entries = OrderFixtures.audit(cloud).forRequest(first.header("apigw-requestid"));
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).actorType()).isEqualTo("PROCESSOR");
    assertThat(entries.get(0).actorId()).isEqualTo("payment");
    assertThat(entries.get(0).action()).isEqualTo("DISCLOSE");
    assertThat(entries.get(0).recordId()).isEqualTo(order.path("orderId").asText());
  }

  @Test
  void amountAndCurrencyMismatches_changeNoStatus_butAreFlaggedAndAudited() throws Exception {
    JsonNode order = newOrder();
    String orderId = order.path("orderId").asText();
    Response less =
        sendSigned(
            cloud,
            api,
            paymentEvent(orderId, TOTAL - 1, "GBP", "succeeded", reference()).toString(),
            now());
    assertThat(less.status()).isEqualTo(200);
    assertThat(less.json().path("result").asText()).isEqualTo("FLAGGED");
    assertThat(send(orderId, TOTAL + 1, "GBP", "succeeded")).isEqualTo("FLAGGED");
    assertThat(send(orderId, TOTAL, "EUR", "succeeded")).isEqualTo("FLAGGED");
    assertThat(read(order).path("status").asText()).isEqualTo("RECEIVED");
    var entries = OrderFixtures.audit(cloud).forRequest(less.header("apigw-requestid"));
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).outcome()).isEqualTo("FAILED");

    // the right payment still pays it
    assertThat(pay(order)).isEqualTo("PAID");
  }

  @Test
  void aPaymentAfterTheCustomersKeyIsGone_butBeforeTheRecordIsRestricted_isFlagged_notA500()
      throws Exception {
    // GIVEN an order whose customer's key an erasure has just shredded (the erasure has not
    // restricted the transaction record yet: it does that in its pass after the shred)
    JsonNode order = newOrder();
    String orderId = order.path("orderId").asText();
    var dynamo = cloud.emulator().dynamoDb();
    String subjectId =
        dynamo
            .getItem(
                b ->
                    b.tableName(cloud.ref("OrdersTable"))
                        .key(OrderItems.transactionKey(orderId))
                        .consistentRead(true))
            .item()
            .get("subjectId")
            .s();
    dynamo.deleteItem(
        b ->
            b.tableName(cloud.ref("SubjectsTable"))
                .key(Map.of("pk", AttributeValue.fromS("subject#" + subjectId))));
    // a container that cached the key would still seal with it: a new one does not
    cloud.retireContainers("PaymentEventsFunction");

    // WHEN the provider's success arrives THEN it is recorded and flagged, with a 200
    assertThat(pay(order)).isEqualTo("FLAGGED");
    var transaction =
        dynamo
            .getItem(
                b ->
                    b.tableName(cloud.ref("OrdersTable"))
                        .key(OrderItems.transactionKey(orderId))
                        .consistentRead(true))
            .item();
    assertThat(transaction.get("status").s()).isEqualTo("RECEIVED");
    assertThat(transaction).doesNotContainKey("providerReference");
  }

  @Test
  void aFailureAfterASuccess_isRecorded_butDoesNotUnpay_andASecondSuccessIsFlagged()
      throws Exception {
    JsonNode order = newOrder();
    String orderId = order.path("orderId").asText();
    assertThat(send(orderId, TOTAL, "GBP", "failed")).isEqualTo("RECORDED");
    assertThat(read(order).path("status").asText()).isEqualTo("RECEIVED");
    assertThat(pay(order)).isEqualTo("PAID");
    assertThat(send(orderId, TOTAL, "GBP", "failed")).isEqualTo("RECORDED");
    assertThat(pay(order)).isEqualTo("FLAGGED");

    JsonNode read = read(order);
    assertThat(read.path("status").asText()).isEqualTo("PAID");
    assertThat(read.path("history"))
        .extracting(h -> h.path("status").asText() + "/" + h.path("event").asText())
        .containsExactly("RECEIVED/", "RECEIVED/PAYMENT_FAILED", "PAID/", "PAID/PAYMENT_FAILED");
  }

  /** The same signed body sent by 10 threads at once. */
  private List<Response> burst(String body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Response>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return sendSigned(cloud, api, body, now());
                }));
      }
      go.countDown();
      List<Response> responses = new ArrayList<>();
      for (Future<Response> result : results) {
        responses.add(result.get());
      }
      return responses;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentDuplicates_haveOneEffect() throws Exception {
    // GIVEN warm containers (cold starts of several containers at once can pass Lambda's timeout
    // on a loaded machine: that is a retry for the provider, not what this test is about)
    burst(succeeded(newOrder()).toString());
    JsonNode order = newOrder();
    String body = succeeded(order).toString();
    String orders = cloud.ref("OrdersTable");
    Map<String, Integer> before = TableCounts.of(cloud);

    Set<String> answers = new HashSet<>();
    for (Response response : burst(body)) {
      assertThat(response.status()).as(response.body()).isIn(200, 409);
      if (response.status() == 200) {
        answers.add(response.json().toString());
      }
    }
    assertThat(answers).hasSize(1);
    assertThat(answers.iterator().next()).contains("\"PAID\"");
    // one event item, one PAID step
    assertThat(TableCounts.of(cloud).get(orders) - before.get(orders)).isEqualTo(1);
    assertThat(read(order).path("history"))
        .extracting(h -> h.path("status").asText())
        .containsExactly("RECEIVED", "PAID");
  }

  @Test
  void unknownOrders_andMalformedEvents_areRefused() throws Exception {
    Response unknown =
        sendSigned(
            cloud,
            api,
            paymentEvent("o_" + "0".repeat(32), TOTAL, "GBP", "succeeded", reference()).toString(),
            now());
    assertThat(unknown.status()).isEqualTo(404);
    ObjectNode extra = succeeded(newOrder());
    extra.put("customerEmail", "someone@example.com");
    assertThat(sendSigned(cloud, api, extra.toString(), now()).status()).isEqualTo(400);
    ObjectNode card = succeeded(newOrder());
    card.put("providerReference", "4111111111111111");
    assertThat(sendSigned(cloud, api, card.toString(), now()).status()).isEqualTo(400);
  }

  @Test
  void rawTables_holdNoPlaintextPaymentReference() throws Exception {
    JsonNode order = newOrder();
    String reference = "pi_canary_" + UUID.randomUUID().toString().replace("-", "");
    Response paid =
        sendSigned(
            cloud,
            api,
            paymentEvent(order.path("orderId").asText(), TOTAL, "GBP", "succeeded", reference)
                .toString(),
            now());
    assertThat(paid.json().path("result").asText()).isEqualTo("PAID");
    assertThat(TableCounts.dump(cloud)).doesNotContain(reference).doesNotContain("pi_canary_");
  }

  private static String signedWithAnotherSecret(long timestamp, byte[] body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
    return "t=" + timestamp + ",v1=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
  }
}
