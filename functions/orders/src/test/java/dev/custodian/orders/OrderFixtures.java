package dev.custodian.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.json.Json;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** The order and payment scenarios the order tests share, written once. */
final class OrderFixtures {

  static final Map<String, String> OPERATOR = Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);

  private OrderFixtures() {}

  /** The sample order of events/, with a fresh customer so tests do not share a subject. */
  static ObjectNode order(String email) {
    return Scenarios.orderBody(email);
  }

  /** An order of one line of this product. */
  static ObjectNode orderOf(String sku, int quantity) throws Exception {
    ObjectNode body = order(freshEmail());
    body.putArray("items").addObject().put("sku", sku).put("quantity", quantity);
    return body;
  }

  static String freshEmail() {
    return "buyer." + UUID.randomUUID() + "@example.com";
  }

  static Map<String, String> key(String key) {
    return Map.of("idempotency-key", key);
  }

  static String newKey() {
    return "k-" + UUID.randomUUID();
  }

  static Map<String, String> bearer(String token) {
    return Map.of("authorization", "Bearer " + token);
  }

  /** Places an order and answers its placement (201 expected). */
  static JsonNode placed(ApiClient api, ObjectNode body) {
    ApiClient.Response response = api.post("/orders", body, key(newKey()));
    if (response.status() != 201) {
      throw new IllegalStateException("order refused: " + response.body());
    }
    return response.json();
  }

  /** A product the test owns (a fresh SKU), put by an operator. */
  static String product(ApiClient api, long unitPrice) {
    String sku = "T-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    putProduct(api, sku, unitPrice, true);
    return sku;
  }

  static void putProduct(ApiClient api, String sku, long unitPrice, boolean active) {
    ApiClient.Response put =
        api.send(
            "PUT",
            "/admin/catalogue/" + sku,
            "{\"name\":\"Test product\",\"unitPrice\":"
                + unitPrice
                + ",\"currency\":\"GBP\",\"active\":"
                + active
                + "}",
            OPERATOR);
    if (put.status() != 200) {
      throw new IllegalStateException("product refused: " + put.body());
    }
  }

  /** A provider event, as the payment provider would send it. */
  static ObjectNode paymentEvent(
      String orderId, long amount, String currency, String outcome, String reference) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("eventId", "evt_" + UUID.randomUUID().toString().replace("-", ""));
    event.put("orderId", orderId);
    event.put("amount", amount);
    event.put("currency", currency);
    event.put("outcome", outcome);
    event.put("providerReference", reference);
    event.put("cardLast4", "4242");
    return event;
  }

  /** Sends an event signed with the local cloud's webhook secret at this time. */
  static ApiClient.Response sendSigned(
      LocalCloud cloud, ApiClient api, String body, long epochSeconds) {
    return api.send(
        "POST",
        "/payments/events",
        body,
        Map.of(
            "payment-signature",
            cloud.signPaymentEvent(epochSeconds, body.getBytes(StandardCharsets.UTF_8))));
  }

  /** The audit trail as an observer reads it (the account's credentials, not a function's). */
  static AuditTrail audit(LocalCloud cloud) {
    return new AuditTrail(
        cloud.emulator().dynamoDb(),
        cloud.ref("AuditTable"),
        RetentionRegistry.defaults(),
        Clock.systemUTC());
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
