package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item whose retention has ended is absent from every route before DynamoDB's TTL deletes it
 * (docs/privacy.md#retention): for each data class, its {@code expiresAt} is moved into the past
 * straight in the table, and every route that could show it is asked.
 */
class ExpiredItemsIT {

  private static final Map<String, String> OPERATOR =
      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();
  private final String marker = UUID.randomUUID().toString().substring(0, 8);
  private final String email = "expired." + marker + "@example.com";

  /** An account whose identity provider has verified {@link #email}. */
  private JsonNode placeOrder() {
    ObjectNode body = Scenarios.orderBody(email);
    ((ObjectNode) body.path("customer")).put("name", "Expiring " + marker);
    return scenarios.placeOrder(body);
  }

  /** Moves an item's retention into the past, as if its time had run out. */
  private void expire(String tableLogicalId, String pk, String sk) {
    Map<String, AttributeValue> key = new HashMap<>();
    key.put("pk", AttributeValue.fromS(pk));
    if (sk != null) {
      key.put("sk", AttributeValue.fromS(sk));
    }
    cloud
        .emulator()
        .dynamoDb()
        .updateItem(
            b ->
                b.tableName(cloud.ref(tableLogicalId))
                    .key(key)
                    .conditionExpression("attribute_exists(pk)")
                    .updateExpression("SET expiresAt = :past")
                    .expressionAttributeValues(
                        Map.of(
                            ":past",
                            AttributeValue.fromN(
                                Long.toString(Instant.now().getEpochSecond() - 60)))));
  }

  /** A verified access request: {requestId, requestToken}; its export is built at verification. */
  /** The data of a new verified access request's export. */
  private JsonNode exportOf(Map<String, ?> extra) {
    Response export = scenarios.export(scenarios.verifiedRequest("ACCESS", email, extra));
    assertThat(export.status()).isEqualTo(200);
    return export.json().path("data");
  }

  @Test
  void anExpiredTransactionRecord_isAbsentFromTheAccountList_theOrderRoutesAndTheExport()
      throws Exception {
    Map<String, String> me = scenarios.signIn("acct-" + marker, email);
    JsonNode order = placeOrder();
    String orderId = order.path("orderId").asText();
    assertThat(api.get("/me/orders", me).json().path("orders").toString()).contains(orderId);

    expire("OrdersTable", "order#" + orderId, "transaction");

    assertThat(api.get("/me/orders", me).json().path("orders").toString()).doesNotContain(orderId);
    Map<String, String> guest =
        Map.of("authorization", "Bearer " + order.path("orderToken").asText());
    assertThat(api.get("/orders/" + orderId, guest).status()).isEqualTo(404);
    assertThat(api.get("/me/orders/" + orderId, me).status()).isEqualTo(404);
    assertThat(api.get("/admin/orders/" + orderId + "/fulfilment", OPERATOR).status())
        .isEqualTo(404);
    assertThat(
            api.send(
                    "PATCH",
                    "/admin/orders/" + orderId + "/status",
                    "{\"status\":\"CANCELLED\"}",
                    OPERATOR)
                .status())
        .isEqualTo(404);
    assertThat(exportOf(Map.of()).path("orders").toString()).doesNotContain(orderId);
  }

  @Test
  void expiredOrderContactData_isAbsentFromTheOrder_theFulfilmentViewAndTheExport()
      throws Exception {
    JsonNode order = placeOrder();
    String orderId = order.path("orderId").asText();

    expire("OrdersTable", "order#" + orderId, "contact");

    Response read =
        api.get(
            "/orders/" + orderId,
            Map.of("authorization", "Bearer " + order.path("orderToken").asText()));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().has("customer")).isFalse();
    assertThat(read.body()).doesNotContain("Expiring " + marker);
    assertThat(api.get("/admin/orders/" + orderId + "/fulfilment", OPERATOR).status())
        .isEqualTo(404);
    JsonNode exported = exportOf(Map.of());
    assertThat(exported.path("orders")).hasSize(1);
    assertThat(exported.path("orders").get(0).has("contact")).isFalse();
  }

  @Test
  void anExpiredContactMessage_isAbsentFromTheOperatorReadAndTheExport() {
    Response sent =
        api.post(
            "/contact",
            Map.of(
                "email",
                email,
                "topic",
                "OTHER",
                "message",
                "Expiring message " + marker,
                "policyVersion",
                "2026-11-01"),
            Map.of());
    assertThat(sent.status()).isEqualTo(202);
    String ticketId = sent.json().path("ticketId").asText();
    assertThat(api.get("/admin/contact/" + ticketId, OPERATOR).status()).isEqualTo(200);

    expire("ContactTable", "ticket#" + ticketId, null);

    assertThat(api.get("/admin/contact/" + ticketId, OPERATOR).status()).isEqualTo(404);
    assertThat(exportOf(Map.of()).path("contactMessages")).isEmpty();
  }

  @Test
  void anExpiredProfile_isAbsentFromTheAccount() {
    Map<String, String> me = scenarios.signIn("acct-" + marker, email);
    Response saved =
        api.send("PUT", "/me", Json.write(Map.of("version", 0, "name", "Profile " + marker)), me);
    assertThat(saved.status()).isEqualTo(200);
    Map<String, String> env = cloud.environmentOf("AccountFunction");
    PrivacyCore core =
        new PrivacyCore(
            CoreConfig.fromEnvironment(env), AwsClients.fromEnvironment(env), Clock.systemUTC());
    String pk = "profile#" + core.directory().findByAccount("acct-" + marker).orElseThrow();
    expire("ProfilesTable", pk, null);

    JsonNode profile = api.get("/me", me).json();
    assertThat(profile.has("name")).isFalse();
    assertThat(profile.path("version").asInt()).isZero();
  }

  @Test
  void anExpiredRequestAndItsExpiredExport_areAbsentFromTheirRoutesAndTheOperatorList()
      throws Exception {
    placeOrder();
    Request request = scenarios.verifiedRequest("ACCESS", email);
    Map<String, String> bearer = request.bearer();
    scenarios.awaitCompleted(request);

    expire("ExportsTable", "export#" + request.id(), null);
    assertThat(api.get("/privacy/requests/" + request.id() + "/export", bearer).status())
        .isEqualTo(404);

    expire("PrivacyRequestsTable", "request#" + request.id(), null);
    assertThat(api.get("/privacy/requests/" + request.id(), bearer).status()).isEqualTo(404);
    assertThat(api.get("/admin/privacy-requests?status=COMPLETED", OPERATOR).body())
        .doesNotContain(request.id());
    assertThat(exportOf(Map.of()).path("privacyRequests").toString()).doesNotContain(request.id());
  }

  @Test
  void expiredAnalyticsEvents_areAbsentFromTheExport() throws Exception {
    placeOrder();
    String visitor = "visitor-" + marker + "-expired";
    Response ingested =
        api.post(
            "/events",
            Map.of(
                "visitorId",
                visitor,
                "sessionId",
                "session-" + marker,
                "consent",
                Map.of("analytics", true),
                "events",
                List.of(
                    Map.of(
                        "type",
                        "PRODUCT_VIEW",
                        "path",
                        "/products/expired",
                        "productId",
                        "expired-" + marker,
                        "occurredAt",
                        Instant.now().toString()))),
            Map.of("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"));
    assertThat(ingested.json().path("accepted").asInt()).isEqualTo(1);
    for (Map<String, AttributeValue> item :
        cloud
            .emulator()
            .dynamoDb()
            .scan(
                b ->
                    b.tableName(cloud.ref("AnalyticsEventsTable"))
                        .filterExpression("#p = :p")
                        .expressionAttributeNames(Map.of("#p", "productId"))
                        .expressionAttributeValues(
                            Map.of(":p", AttributeValue.fromS("expired-" + marker))))
            .items()) {
      expire("AnalyticsEventsTable", item.get("pk").s(), item.get("sk").s());
    }

    assertThat(exportOf(Map.of("visitorIds", List.of(visitor))).path("analyticsEvents")).isEmpty();
  }
}
