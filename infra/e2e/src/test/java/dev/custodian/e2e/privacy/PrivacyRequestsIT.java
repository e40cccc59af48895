package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Data-subject requests over HTTP through the local cloud, codes read from the outbox. */
class PrivacyRequestsIT {

  private static final Pattern CODE = Pattern.compile("Your code is ([0-9]{6})");

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  /** An email that the shop knows: it placed an order. */
  private String knownEmail() throws Exception {
    String email = "subject." + UUID.randomUUID() + "@example.com";
    JsonNode event =
        dev.custodian.core.json.Json.MAPPER.readTree(
            Files.readString(ProjectFiles.event("orders/place-order.json")));
    String body = event.path("body").asText().replace("jane.doe@example.com", email);
    Response placed =
        api.send("POST", "/orders", body, Map.of("idempotency-key", "k-" + UUID.randomUUID()));
    assertThat(placed.status()).isEqualTo(201);
    return email;
  }

  private Response request(String type, String email) {
    return api.post("/privacy/requests", Map.of("type", type, "email", email), Map.of());
  }

  private Response verify(String requestId, String code) {
    return api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", code), Map.of());
  }

  private String awaitEmail(String to, String requestId) throws InterruptedException {
    for (int i = 0; i < 150; i++) {
      for (JsonNode m : api.get("/_local/outbox", Map.of()).json().path("messages")) {
        if (m.path("to").toString().contains(to) && m.path("body").asText().contains(requestId)) {
          return m.path("body").asText();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no email about the request");
  }

  private String codeFor(String email, String requestId) throws InterruptedException {
    Matcher m = CODE.matcher(awaitEmail(email, requestId));
    assertThat(m.find()).as("the email carries a code").isTrue();
    return m.group(1);
  }

  @Test
  void aKnownSubject_verifiesWithTheEmailedCode_andFollowsTheRequestWithItsToken()
      throws Exception {
    String email = knownEmail();
    Response created = request("ACCESS", email);
    assertThat(created.status()).isEqualTo(202);
    String requestId = created.json().path("requestId").asText();
    assertThat(created.json().path("status").asText()).isEqualTo("PENDING_VERIFICATION");

    Response verified = verify(requestId, codeFor(email, requestId));
    assertThat(verified.status()).isEqualTo(200);
    String token = verified.json().path("requestToken").asText();
    assertThat(token).hasSizeGreaterThanOrEqualTo(32);
    // the export is prepared off the request path: the answer does not wait for it
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    api.awaitCompleted(requestId, token);

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
    assertThat(verify(requestId, codeFor(email, requestId)).status()).isEqualTo(400);
    // another request's token, or none, reads nothing
    Response other = request("ACCESS", email);
    String otherId = other.json().path("requestId").asText();
    assertThat(
            api.get("/privacy/requests/" + otherId, Map.of("authorization", "Bearer " + token))
                .status())
        .isEqualTo(404);
    assertThat(api.get("/privacy/requests/" + requestId, Map.of()).status()).isEqualTo(404);
    // a code of one request does not verify another
    assertThat(verify(otherId, codeFor(email, requestId)).status()).isEqualTo(400);
  }

  @Test
  void threeWrongCodes_rejectTheRequest_andPurgeTheCode() throws Exception {
    String email = knownEmail();
    String requestId = request("ERASURE", email).json().path("requestId").asText();
    String code = codeFor(email, requestId);
    String wrong = code.equals("000000") ? "111111" : "000000";

    for (int i = 0; i < 3; i++) {
      Response attempt = verify(requestId, wrong);
      assertThat(attempt.status()).isEqualTo(400);
      assertThat(attempt.json().path("fields").get(0).path("field").asText()).isEqualTo("code");
    }
    assertThat(verify(requestId, code).status()).isEqualTo(400);
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
    assertThat(verify("r_" + "0".repeat(32), "123456").status()).isEqualTo(404);
    assertThat(verify("not-an-id", "123456").status()).isEqualTo(404);

    String email = knownEmail();
    String requestId = request("ACCESS", email).json().path("requestId").asText();
    codeFor(email, requestId);
    List<String> raw = new ArrayList<>(cloud.deliveredMessages("NotificationQueue"));
    assertThat(raw).isNotEmpty();
    assertThat(String.join("\n", raw)).doesNotContain("@").doesNotContain("Your code");
  }

  @Test
  void clearAnalytics_deletesTheHistoryOfTheVisitorIdsGiven_andNoOtherVisitors() throws Exception {
    String email = knownEmail();
    String mine = "visitor-" + UUID.randomUUID();
    String someoneElse = "visitor-" + UUID.randomUUID();
    for (String visitor : List.of(mine, someoneElse)) {
      Map<String, Object> batch =
          Map.of(
              "visitorId",
              visitor,
              "sessionId",
              "session-" + UUID.randomUUID(),
              "consent",
              Map.of("analytics", true),
              "events",
              List.of(
                  Map.of(
                      "type",
                      "PAGE_VIEW",
                      "path",
                      "/a",
                      "occurredAt",
                      java.time.Instant.now().toString()),
                  Map.of(
                      "type",
                      "PAGE_VIEW",
                      "path",
                      "/b",
                      "occurredAt",
                      java.time.Instant.now().toString())));
      assertThat(
              api.post(
                      "/events",
                      batch,
                      Map.of("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"))
                  .json()
                  .path("accepted")
                  .asInt())
          .isEqualTo(2);
    }
    String events = cloud.ref("AnalyticsEventsTable");
    // the aggregator writes each visitor's day marker from the stream, after the request
    assertThat(cloud.awaitStreams(java.time.Duration.ofSeconds(20))).isTrue();
    int before = dev.custodian.local.TableCounts.of(cloud).get(events);

    Response created =
        api.post(
            "/privacy/requests",
            Map.of("type", "CLEAR_ANALYTICS", "email", email, "visitorIds", List.of(mine)),
            Map.of());
    String requestId = created.json().path("requestId").asText();
    Response verified = verify(requestId, codeFor(email, requestId));

    assertThat(verified.json().path("status").asText()).isEqualTo("COMPLETED");
    JsonNode status =
        api.get(
                "/privacy/requests/" + requestId,
                Map.of("authorization", "Bearer " + verified.json().path("requestToken").asText()))
            .json();
    assertThat(status.path("result").path("deletedEvents").asInt()).isEqualTo(2);
    // two events and the visitor's day marker went; the other visitor's history stays
    assertThat(dev.custodian.local.TableCounts.of(cloud).get(events)).isEqualTo(before - 3);
  }

  /** Places an order for the email; answers {orderId, orderToken}. */
  private JsonNode placeOrder(String email, String name) throws Exception {
    JsonNode event =
        dev.custodian.core.json.Json.MAPPER.readTree(
            Files.readString(ProjectFiles.event("orders/place-order.json")));
    com.fasterxml.jackson.databind.node.ObjectNode body =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            dev.custodian.core.json.Json.MAPPER.readTree(event.path("body").asText());
    ((com.fasterxml.jackson.databind.node.ObjectNode) body.path("customer"))
        .put("email", email)
        .put("name", name);
    Response placed =
        api.post("/orders", body, Map.of("idempotency-key", "k-" + UUID.randomUUID()));
    assertThat(placed.status()).isEqualTo(201);
    return placed.json();
  }

  private String verifiedToken(String type, String email, Map<String, Object> extra)
      throws Exception {
    Map<String, Object> body = new java.util.HashMap<>(extra);
    body.put("type", type);
    body.put("email", email);
    String requestId =
        api.post("/privacy/requests", body, Map.of()).json().path("requestId").asText();
    Response verified = verify(requestId, codeFor(email, requestId));
    assertThat(verified.status()).isEqualTo(200);
    api.awaitCompleted(requestId, verified.json().path("requestToken").asText());
    return requestId + " " + verified.json().path("requestToken").asText();
  }

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
                    "PAGE_VIEW",
                    "path",
                    "/export-test",
                    "occurredAt",
                    java.time.Instant.now().toString()))),
        Map.of("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"));
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
    api.post(
        "/events",
        Map.of(
            "visitorId",
            "visitor-" + decoyMarker + "-x",
            "sessionId",
            "session-" + decoyMarker,
            "consent",
            Map.of("analytics", true),
            "events",
            List.of(
                Map.of(
                    "type",
                    "PAGE_VIEW",
                    "path",
                    "/decoy-" + decoyMarker,
                    "occurredAt",
                    java.time.Instant.now().toString()))),
        Map.of("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"));
    api.post("/privacy/requests", Map.of("type", "ACCESS", "email", decoyEmail), Map.of());

    String[] request =
        verifiedToken("ACCESS", email, Map.of("visitorIds", List.of(visitor))).split(" ");
    Response export = api.export(request[0], request[1]);

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
    assertThat(data.path("privacyRequests").toString()).contains(request[0]);
    JsonNode info = export.json().path("information");
    assertThat(info.path("retention")).isNotEmpty();
    assertThat(info.path("recipients")).isNotEmpty();
    assertThat(export.body()).doesNotContain(decoyMarker);
    assertThat(api.get("/privacy/requests/" + request[0] + "/export", Map.of()).status())
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
    String[] request =
        verifiedToken(
                "RECTIFICATION",
                email,
                Map.of("corrections", Map.of("name", "New Name", "phone", "+447700900999")))
            .split(" ");

    JsonNode status =
        api.get("/privacy/requests/" + request[0], Map.of("authorization", "Bearer " + request[1]))
            .json();
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
