package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Data-subject requests over HTTP through the local cloud, codes read from the outbox. */
class PrivacyRequestsIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  /** Places an order for the email, in this name; answers {orderId, orderToken}. */
  private JsonNode placeOrder(String email, String name) {
    ObjectNode body = Scenarios.orderBody(email);
    ((ObjectNode) body.path("customer")).put("name", name);
    return scenarios.placeOrder(body);
  }

  @Test
  void aKnownSubject_verifiesWithTheEmailedCode_andFollowsTheRequestWithItsToken()
      throws Exception {
    String email = scenarios.knownEmail("subject");
    Response created =
        api.post("/privacy/requests", Map.of("type", "ACCESS", "email", email), Map.of());
    assertThat(created.status()).isEqualTo(202);
    String requestId = created.json().path("requestId").asText();
    assertThat(created.json().path("status").asText()).isEqualTo("PENDING_VERIFICATION");

    Response verified = scenarios.verify(requestId, scenarios.code(email, requestId));
    assertThat(verified.status()).isEqualTo(200);
    String token = verified.json().path("requestToken").asText();
    assertThat(token).hasSizeGreaterThanOrEqualTo(32);
    // the export is prepared off the request path: the answer does not wait for it
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    scenarios.awaitCompleted(new Request(requestId, token));

    Response status =
        api.get("/privacy/requests/" + requestId, Map.of("authorization", "Bearer " + token));
    assertThat(status.status()).isEqualTo(200);
    JsonNode record = status.json();
    assertThat(record.path("type").asText()).isEqualTo("ACCESS");
    assertThat(record.path("regime").asText()).isEqualTo("GDPR");
    assertThat(record.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(record.path("history"))
        .extracting(h -> h.path("status").asText())
        .containsExactly("PENDING_VERIFICATION", "VERIFIED", "IN_PROGRESS", "COMPLETED");
    assertThat(record.path("result").path("export").path("availableUntil").asText()).isNotBlank();
    assertThat(record.path("result").path("export").path("pages").asInt()).isEqualTo(1);
    assertThat(java.time.Instant.parse(record.path("dueAt").asText()))
        .isAfter(
            java.time.Instant.parse(record.path("receivedAt").asText())
                .plus(java.time.Duration.ofDays(27)));

    // single use
    assertThat(scenarios.verify(requestId, scenarios.code(email, requestId)).status())
        .isEqualTo(400);
    // another request's token, or none, reads nothing
    Response other =
        api.post("/privacy/requests", Map.of("type", "ACCESS", "email", email), Map.of());
    String otherId = other.json().path("requestId").asText();
    assertThat(
            api.get("/privacy/requests/" + otherId, Map.of("authorization", "Bearer " + token))
                .status())
        .isEqualTo(404);
    assertThat(api.get("/privacy/requests/" + requestId, Map.of()).status()).isEqualTo(404);
    // a code of one request does not verify another
    assertThat(scenarios.verify(otherId, scenarios.code(email, requestId)).status()).isEqualTo(400);
  }

  @Test
  void threeWrongCodes_rejectTheRequest_andPurgeTheCode() throws Exception {
    String email = scenarios.knownEmail("subject");
    String requestId = scenarios.request("ERASURE", email);
    String code = scenarios.code(email, requestId);
    String wrong = code.equals("000000") ? "111111" : "000000";

    for (int i = 0; i < 3; i++) {
      Response attempt = scenarios.verify(requestId, wrong);
      assertThat(attempt.status()).isEqualTo(400);
      assertThat(attempt.json().path("fields").get(0).path("field").asText()).isEqualTo("code");
    }
    assertThat(scenarios.verify(requestId, code).status()).isEqualTo(400);
    String table = cloud.ref("PrivacyRequestsTable");
    var item =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(table)
                        .key(
                            Map.of(
                                "pk",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                    "request#" + requestId))))
            .item();
    assertThat(item.get("status").s()).isEqualTo("REJECTED");
    assertThat(item)
        .doesNotContainKey("codeHash")
        .doesNotContainKey("email")
        .doesNotContainKey("wrappedKey");
  }

  @Test
  void badInput_isRefused_andQueuedMessagesCarryNoAddress() throws Exception {
    assertThat(
            api.post("/privacy/requests", Map.of("type", "SELL", "email", "a@b.example"), Map.of())
                .status())
        .isEqualTo(400);
    assertThat(api.post("/privacy/requests", Map.of("type", "ACCESS"), Map.of()).status())
        .isEqualTo(400);
    assertThat(scenarios.verify("r_" + "0".repeat(32), "123456").status()).isEqualTo(404);
    assertThat(scenarios.verify("not-an-id", "123456").status()).isEqualTo(404);

    String email = scenarios.knownEmail("subject");
    String requestId = scenarios.request("ACCESS", email);
    scenarios.code(email, requestId);
    List<String> raw = new ArrayList<>(cloud.deliveredMessages("NotificationQueue"));
    assertThat(raw).isNotEmpty();
    assertThat(String.join("\n", raw)).doesNotContain("@").doesNotContain("Your code");
  }

  @Test
  void clearAnalytics_deletesTheHistoryOfTheVisitorIdsGiven_andNoOtherVisitors() throws Exception {
    String email = scenarios.knownEmail("subject");
    String mine = "visitor-" + UUID.randomUUID();
    String someoneElse = "visitor-" + UUID.randomUUID();
    for (String visitor : List.of(mine, someoneElse)) {
      assertThat(scenarios.pageViews(visitor, "/a", "/b").json().path("accepted").asInt())
          .isEqualTo(2);
    }
    String events = cloud.ref("AnalyticsEventsTable");
    // the aggregator writes each visitor's day marker from the stream, after the request
    assertThat(cloud.awaitStreams(java.time.Duration.ofSeconds(20))).isTrue();
    int before = dev.custodian.local.TableCounts.of(cloud).get(events);

    String requestId =
        scenarios.request("CLEAR_ANALYTICS", email, Map.of("visitorIds", List.of(mine)));
    Response verified = scenarios.verify(requestId, scenarios.code(email, requestId));

    assertThat(verified.json().path("status").asText()).isEqualTo("COMPLETED");
    JsonNode status = scenarios.status(Request.from(requestId, verified));
    assertThat(status.path("result").path("deletedEvents").asInt()).isEqualTo(2);
    // two events and the visitor's day marker went; the other visitor's history stays
    assertThat(dev.custodian.local.TableCounts.of(cloud).get(events)).isEqualTo(before - 3);
  }

  /** Places an order for the email; answers {orderId, orderToken}. */
  @Test
  void access_exportsEverythingHeldAboutTheSubject_andNothingOfADecoy() throws Exception {
    String marker = UUID.randomUUID().toString().substring(0, 8);
    String email = "export." + marker + "@example.com";
    JsonNode order = placeOrder(email, "Export Person " + marker);
    // paid through the provider's webhook: its reference is the person's data too
    Response paid = api.post("/_local/pay/" + order.path("orderId").asText(), "", Map.of());
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);
    String providerReference = paid.json().path("event").path("providerReference").asText();
    api.post(
        "/contact",
        Map.of(
            "email",
            email,
            "topic",
            "OTHER",
            "message",
            "Hello " + marker,
            "policyVersion",
            "2026-11-01"),
        Map.of());
    String visitor = "visitor-" + marker + "-x";
    scenarios.pageViews(visitor, "/export-test");
    // A decoy in every table the export reads.
    String decoyMarker = UUID.randomUUID().toString().substring(0, 8);
    String decoyEmail = "decoy." + decoyMarker + "@example.com";
    placeOrder(decoyEmail, "Decoy " + decoyMarker);
    api.post(
        "/contact",
        Map.of(
            "email",
            decoyEmail,
            "topic",
            "OTHER",
            "message",
            "Decoy " + decoyMarker,
            "policyVersion",
            "2026-11-01"),
        Map.of());
    scenarios.pageViews("visitor-" + decoyMarker + "-x", "/decoy-" + decoyMarker);
    api.post("/privacy/requests", Map.of("type", "ACCESS", "email", decoyEmail), Map.of());

    Request request =
        scenarios.verifiedRequest("ACCESS", email, Map.of("visitorIds", List.of(visitor)));
    Response export = scenarios.export(request);

    assertThat(export.status()).isEqualTo(200);
    JsonNode data = export.json().path("data");
    assertThat(data.path("orders")).hasSize(1);
    assertThat(data.path("orders").get(0).path("orderId").asText())
        .isEqualTo(order.path("orderId").asText());
    assertThat(data.path("orders").get(0).path("contact").path("name").asText())
        .isEqualTo("Export Person " + marker);
    assertThat(data.path("orders").get(0).path("status").asText()).isEqualTo("PAID");
    assertThat(data.path("orders").get(0).path("providerReference").asText())
        .isEqualTo(providerReference);
    assertThat(data.path("contactMessages").get(0).path("message").asText())
        .isEqualTo("Hello " + marker);
    assertThat(data.path("analyticsEvents")).hasSize(1);
    assertThat(data.path("privacyRequests").toString()).contains(request.id());
    JsonNode info = export.json().path("information");
    assertThat(info.path("retention")).isNotEmpty();
    assertThat(info.path("recipients")).isNotEmpty();
    assertThat(export.body()).doesNotContain(decoyMarker);
    assertThat(api.get("/privacy/requests/" + request.id() + "/export", Map.of()).status())
        .isEqualTo(404);
  }

  @Test
  void rectification_correctsOpenOrdersOnly() throws Exception {
    String email = "fix." + UUID.randomUUID() + "@example.com";
    JsonNode open = placeOrder(email, "Old Name");
    JsonNode shipped = placeOrder(email, "Old Name");
    String shippedId = shipped.path("orderId").asText();
    assertThat(api.post("/_local/pay/" + shippedId, "", Map.of()).status()).isEqualTo(200);
    for (String status : List.of("PACKED", "SHIPPED")) {
      assertThat(
              api.send(
                      "PATCH",
                      "/admin/orders/" + shippedId + "/status",
                      "{\"status\":\"" + status + "\"}",
                      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE))
                  .status())
          .isEqualTo(200);
    }
    Request request =
        scenarios.verifiedRequest(
            "RECTIFICATION",
            email,
            Map.of("corrections", Map.of("name", "New Name", "phone", "+447700900999")));

    JsonNode status = scenarios.awaitCompleted(request);
    assertThat(status.path("result").path("ordersCorrected").asInt()).isEqualTo(1);
    JsonNode corrected =
        api.get(
                "/orders/" + open.path("orderId").asText(),
                Map.of("authorization", "Bearer " + open.path("orderToken").asText()))
            .json();
    assertThat(corrected.path("customer").path("name").asText()).isEqualTo("New Name");
    assertThat(corrected.path("customer").path("phone").asText()).isEqualTo("+447700900999");
    JsonNode untouched =
        api.get(
                "/orders/" + shippedId,
                Map.of("authorization", "Bearer " + shipped.path("orderToken").asText()))
            .json();
    assertThat(untouched.path("customer").path("name").asText()).isEqualTo("Old Name");
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<String> headerNames(Response response) {
    Set<String> names = new TreeSet<>(response.headers().keySet());
    names.remove("apigw-requestid");
    names.remove("date");
    return names;
  }
}
