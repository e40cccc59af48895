package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Lawful disclosures over the local cloud: the package holds exactly its scope, needs a second
 * principal, and shows in the person's export once the non-disclosure period is over.
 */
class LawfulDisclosureIT {

  private static final Map<String, String> ALICE =
      Map.of("authorization", ApiClient.operatorSignature("alice"));
  private static final Map<String, String> BOB =
      Map.of("authorization", ApiClient.operatorSignature("bob"));
  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();
  private final Map<String, String> env = cloud.environmentOf("DisclosureAdminFunction");

  private PrivacyCore core() {
    return core(env);
  }

  private static PrivacyCore core(Map<String, String> env) {
    return new PrivacyCore(
        CoreConfig.fromEnvironment(env), AwsClients.fromEnvironment(env), Clock.systemUTC());
  }

  private Map<String, Object> request(String email, List<String> classes, Instant until) {
    Instant now = Instant.now();
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("email", email);
    scope.put("dataClasses", classes);
    scope.put("from", now.minus(Duration.ofDays(1)).toString());
    scope.put("to", now.plus(Duration.ofDays(1)).toString());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("authority", "Public Prosecutor of Exampletown");
    body.put("legalBasis", "Art. 6(1)(c) GDPR; production order under the code of procedure");
    body.put("reference", "PO-2026-" + UUID.randomUUID().toString().substring(0, 8));
    body.put("scope", scope);
    if (until != null) {
      body.put("nonDisclosureUntil", until.toString());
    }
    return body;
  }

  /** Moves an order's transaction record back in time (outside any recent period). */
  private void backdate(String orderId) {
    String table = env.get("ORDERS_TABLE");
    cloud
        .emulator()
        .dynamoDb()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "pk", AttributeValue.fromS("order#" + orderId),
                            "sk", AttributeValue.fromS("transaction")))
                    .updateExpression("SET createdAt = :old")
                    .expressionAttributeValues(
                        Map.of(":old", AttributeValue.fromS("2025-01-02T03:04:05Z"))));
  }

  @Test
  void aPackage_holdsExactlyItsScope_needsASecondPrincipal_andIsAudited() {
    String email = "lawful." + UUID.randomUUID() + "@example.com";
    String inPeriod = scenarios.placeOrder(email).path("orderId").asText();
    String outOfPeriod = scenarios.placeOrder(email).path("orderId").asText();
    backdate(outOfPeriod);
    assertThat(
            api.post(
                    "/contact",
                    Map.of(
                        "email", email,
                        "topic", "ORDER",
                        "message", "Where is my parcel?",
                        "policyVersion", "2026-11-01"),
                    Map.of())
                .status())
        .isEqualTo(202);

    // GIVEN alice records the authority's request for the order contact data of the period
    Response created =
        api.post("/admin/disclosures", request(email, List.of("ORDER_CONTACT"), null), ALICE);
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().path("disclosureId").asText();
    assertThat(created.json().path("status").asText()).isEqualTo("AWAITING_APPROVAL");
    assertThat(created.json().path("records").asInt()).isEqualTo(1);

    // THEN nobody reads it before approval, and alice cannot approve her own request
    assertThat(api.get("/admin/disclosures/" + id + "/package", ALICE).status()).isEqualTo(409);
    assertThat(api.get("/admin/disclosures/" + id + "/package", BOB).status()).isEqualTo(409);
    Response self = api.post("/admin/disclosures/" + id + "/approve", Map.of(), ALICE);
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.json().path("error").asText()).isEqualTo("forbidden");

    // WHEN bob approves
    Response approved = api.post("/admin/disclosures/" + id + "/approve", Map.of(), BOB);
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.json().path("status").asText()).isEqualTo("APPROVED");
    assertThat(approved.json().path("approvedBy").asText()).endsWith("/bob");
    assertThat(approved.json().path("requestedBy").asText()).endsWith("/alice");
    assertThat(api.post("/admin/disclosures/" + id + "/approve", Map.of(), BOB).status())
        .isEqualTo(409);

    // THEN the package holds the period's order with its contact data, and nothing else
    Response pkg = api.get("/admin/disclosures/" + id + "/package", ALICE);
    assertThat(pkg.status()).isEqualTo(200);
    JsonNode data = pkg.json().path("data");
    assertThat(fieldNames(data)).containsExactly("orders");
    assertThat(data.path("orders")).hasSize(1);
    JsonNode order = data.path("orders").get(0);
    assertThat(order.path("orderId").asText()).isEqualTo(inPeriod);
    assertThat(fieldNames(order)).containsExactly("orderId", "createdAt", "contact");
    assertThat(order.path("contact").path("email").asText()).isEqualTo(email);
    assertThat(pkg.body())
        .doesNotContain(outOfPeriod)
        .doesNotContain("Where is my parcel?")
        .doesNotContain("paymentReference")
        .doesNotContain("\"total\"");
    assertThat(pkg.json().path("authority").asText()).isEqualTo("Public Prosecutor of Exampletown");

    // AND the stored package is sealed; every step is in the audit trail
    Map<String, AttributeValue> raw =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(env.get("DISCLOSURES_TABLE"))
                        .key(Map.of("pk", AttributeValue.fromS("disclosure#" + id + "#package"))))
            .item();
    assertThat(raw.toString()).doesNotContain(email).doesNotContain("@");
    assertThat(raw.get("expiresAt").n()).isNotBlank();
    String subjectId = core().directory().findByEmail(email).orElseThrow();
    List<String> steps = new ArrayList<>();
    // read with the role that lists disclosures (the export worker's)
    AuditTrail audit = core(cloud.environmentOf("ExportWorkerFunction")).audit();
    for (AuditTrail.Entry e : audit.forSubject(subjectId)) {
      if (id.equals(e.recordId())) {
        steps.add(e.action() + ":" + e.outcome() + ":" + e.actorId().replaceAll(".*/", ""));
      }
    }
    assertThat(steps)
        .containsExactly(
            "CREATE:SUCCESS:alice",
            "READ:DENIED:alice",
            "READ:DENIED:bob",
            "UPDATE:DENIED:alice",
            "UPDATE:SUCCESS:bob",
            "DISCLOSE:SUCCESS:alice");
  }

  @Test
  void aPackageOfTransactionsAndMessages_leavesOutTheContactData() {
    String email = "lawful.tx." + UUID.randomUUID() + "@example.com";
    String orderId = scenarios.placeOrder(email).path("orderId").asText();
    api.post(
        "/contact",
        Map.of(
            "email", email,
            "topic", "PRODUCT",
            "message", "Is it waterproof?",
            "policyVersion", "2026-11-01"),
        Map.of());
    String id =
        api.post(
                "/admin/disclosures",
                request(email, List.of("TRANSACTION", "CONTACT_MESSAGE"), null),
                ALICE)
            .json()
            .path("disclosureId")
            .asText();
    api.post("/admin/disclosures/" + id + "/approve", Map.of(), BOB);

    JsonNode data = api.get("/admin/disclosures/" + id + "/package", BOB).json().path("data");

    assertThat(fieldNames(data)).containsExactly("orders", "contactMessages");
    JsonNode order = data.path("orders").get(0);
    assertThat(order.path("orderId").asText()).isEqualTo(orderId);
    assertThat(order.has("contact")).isFalse();
    assertThat(order.has("total")).isTrue();
    assertThat(data.path("contactMessages").get(0).path("message").asText())
        .isEqualTo("Is it waterproof?");
    assertThat(data.toString()).doesNotContain("\"phone\"").doesNotContain("shippingAddress");
  }

  @Test
  void theExport_listsDisclosuresPerRecord_andALawfulOneOnlyAfterItsSilencePeriod()
      throws Exception {
    String email = "lawful.export." + UUID.randomUUID() + "@example.com";
    String orderId = scenarios.placeOrder(email).path("orderId").asText();
    // the carrier's view of the order: a disclosure to logistics, visible at once
    assertThat(
            api.get(
                    "/admin/orders/" + orderId + "/fulfilment",
                    Map.of("authorization", ApiClient.OPERATOR_SIGNATURE))
                .status())
        .isEqualTo(200);
    Instant until = Instant.now().plus(Duration.ofSeconds(25));
    String id =
        api.post("/admin/disclosures", request(email, List.of("ORDER_CONTACT"), until), ALICE)
            .json()
            .path("disclosureId")
            .asText();
    api.post("/admin/disclosures/" + id + "/approve", Map.of(), BOB);
    assertThat(api.get("/admin/disclosures/" + id + "/package", ALICE).status()).isEqualTo(200);

    // WHILE the non-disclosure period runs, the export shows the carrier only
    Request early = scenarios.verifiedRequest("ACCESS", email);
    JsonNode before = scenarios.export(early).json().path("data");
    assertThat(before.path("disclosures").toString())
        .contains("logistics")
        .doesNotContain("Prosecutor");
    JsonNode beforeOrder = before.path("orders").get(0);
    JsonNode carrier = byRecipient(beforeOrder.path("disclosedTo"), "logistics");
    assertThat(carrier.path("at").asText()).isNotBlank();
    assertThat(carrier.path("dataClasses").toString()).contains("ORDER_CONTACT");
    assertThat(beforeOrder.path("disclosedTo").toString()).doesNotContain("Prosecutor");

    // AFTER it, the authority appears with the order it received
    while (Instant.now().isBefore(until.plusSeconds(1))) {
      Thread.sleep(250);
    }
    Request late = scenarios.verifiedRequest("ACCESS", email);
    JsonNode after = scenarios.export(late).json().path("data");
    JsonNode afterOrder = after.path("orders").get(0);
    assertThat(byRecipient(afterOrder.path("disclosedTo"), "logistics").isMissingNode()).isFalse();
    JsonNode lawful =
        byRecipient(afterOrder.path("disclosedTo"), "Public Prosecutor of Exampletown");
    assertThat(lawful.path("recipient").asText()).isEqualTo("Public Prosecutor of Exampletown");
    assertThat(lawful.path("purpose").asText()).isEqualTo("LEGAL_OBLIGATION");
    assertThat(lawful.path("legalBasis").asText()).contains("production order");
    assertThat(lawful.path("dataClasses").toString()).contains("ORDER_CONTACT");
    assertThat(after.path("disclosures").toString()).contains(orderId);
  }

  @Test
  void badRequests_areRefusedWithoutAnyWrite() {
    String email = "lawful.bad." + UUID.randomUUID() + "@example.com";
    scenarios.placeOrder(email);
    Map<String, Object> unknownField = request(email, List.of("ORDER_CONTACT"), null);
    unknownField.put("priority", "high");
    Map<String, Object> analytics = request(email, List.of("ANALYTICS_EVENT"), null);
    Map<String, Object> backwards = request(email, List.of("ORDER_CONTACT"), null);
    @SuppressWarnings("unchecked")
    Map<String, Object> scope = (Map<String, Object>) backwards.get("scope");
    Object from = scope.get("from");
    scope.put("from", scope.get("to"));
    scope.put("to", from);
    Map<String, Object> both = request(email, List.of("ORDER_CONTACT"), null);
    @SuppressWarnings("unchecked")
    Map<String, Object> bothScope = (Map<String, Object>) both.get("scope");
    bothScope.put("subjectId", "s_" + "0".repeat(32));

    for (Map<String, Object> bad : List.of(unknownField, analytics, backwards, both)) {
      Response r = api.post("/admin/disclosures", bad, ALICE);
      assertThat(r.status()).as(bad.toString()).isEqualTo(400);
      assertThat(r.json().path("error").asText()).isEqualTo("validation_failed");
    }
    Response unknown =
        api.post(
            "/admin/disclosures",
            request("nobody." + UUID.randomUUID() + "@example.com", List.of("TRANSACTION"), null),
            ALICE);
    assertThat(unknown.status()).isEqualTo(404);
    // without IAM the gateway refuses; an unknown or malformed id is not found
    assertThat(
            api.post("/admin/disclosures", request(email, List.of("TRANSACTION"), null), Map.of())
                .status())
        .isEqualTo(403);
    String anyId = "d_" + "0".repeat(32);
    assertThat(api.get("/admin/disclosures/" + anyId + "/package", Map.of()).status())
        .isEqualTo(403);
    assertThat(api.post("/admin/disclosures/" + anyId + "/approve", Map.of(), Map.of()).status())
        .isEqualTo(403);
    assertThat(api.get("/admin/disclosures/" + anyId, ALICE).status()).isEqualTo(404);
    assertThat(api.post("/admin/disclosures/x/approve", Map.of(), BOB).status()).isEqualTo(404);
  }

  private static JsonNode byRecipient(JsonNode disclosedTo, String recipient) {
    for (JsonNode d : disclosedTo) {
      if (d.path("recipient").asText().equals(recipient)) {
        return d;
      }
    }
    throw new AssertionError("no disclosure to " + recipient + " in " + disclosedTo);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
