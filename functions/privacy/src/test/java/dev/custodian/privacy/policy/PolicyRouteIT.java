package dev.custodian.privacy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.policy.PolicyText;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The policy routes through the local cloud (template, packaged jar, gateway, IAM, HTTP): the
 * seeded first version, publishing, immutability, history, and what a mishap or an attacker sends.
 * Versions published here take effect in 2099, so the version in force stays the seeded one for
 * every other test of the shared cloud.
 */
class PolicyRouteIT {

  static final String FUTURE = "2099-01-01T00:00:00Z";

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());
  private static final Map<String, String> OPERATOR =
      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);

  static Map<String, Object> publication(String version, boolean material) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version);
    body.put("effectiveFrom", FUTURE);
    body.put("material", material);
    body.put("summaryOfChanges", "Test version " + version + ".");
    return body;
  }

  private Map<String, AttributeValue> raw(String version) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            g ->
                g.tableName(cloud.ref("PolicyTable"))
                    .key(Map.of("pk", AttributeValue.fromS("version#" + version))))
        .item();
  }

  @Test
  void getPolicy_servesTheSeededVersion_whoseFiguresAreTheOnesTheCodeApplies() {
    Response response = api.get("/privacy/policy", Map.of());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).isEqualTo("application/json");
    JsonNode body = response.json();
    assertThat(body.path("version").asText()).isEqualTo("2026-11-01");
    assertThat(body.path("material").asBoolean()).isFalse();
    assertThat(body.path("publishedAt").asText()).isNotBlank();
    assertThat(body.path("effectiveFrom").asText()).isNotBlank();
    // The text in force states exactly the retention this deployment's functions apply.
    RetentionRegistry applied =
        RetentionRegistry.fromEnvironment(cloud.environmentOf("ContactFunction"));
    assertThat(PolicyText.disagreements(body.path("text").asText(), applied)).isEmpty();
    assertThat(PolicyText.statedRetention(body.path("text").asText()))
        .containsEntry("Contact messages", "365 days");
  }

  @Test
  void publish_storesTheRenderedVersionOnce_andASecondPublishChangesNothing() {
    String version = "it-" + UUID.randomUUID().toString().substring(0, 8);

    Response created =
        api.post("/admin/privacy/policy/versions", publication(version, false), OPERATOR);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("effectiveFrom").asText()).isEqualTo(FUTURE);
    String text = created.json().path("text").asText();
    assertThat(text).contains("Version " + version + ", in force from " + FUTURE);
    Map<String, AttributeValue> stored = raw(version);

    Map<String, Object> again = publication(version, true);
    again.put("summaryOfChanges", "Someone tries to rewrite history.");
    again.put("text", "{{dataClasses}}\n{{processors}}\nNothing else.");
    Response conflict = api.post("/admin/privacy/policy/versions", again, OPERATOR);

    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.json().path("error").asText()).isEqualTo("conflict");
    assertThat(raw(version)).isEqualTo(stored);
    Response read = api.get("/privacy/policy/versions/" + version, Map.of());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("text").asText()).isEqualTo(text);
    assertThat(read.json().path("material").asBoolean()).isFalse();
    // not yet in force: the version in force is still the seeded one
    assertThat(api.get("/privacy/policy", Map.of()).json().path("version").asText())
        .isEqualTo("2026-11-01");
  }

  @Test
  void versions_listTheHistoryNewestFirst_withoutTexts() {
    String older = "it-a-" + UUID.randomUUID().toString().substring(0, 8);
    String newer = "it-b-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(
            api.post("/admin/privacy/policy/versions", publication(older, false), OPERATOR)
                .status())
        .isEqualTo(201);
    assertThat(
            api.post("/admin/privacy/policy/versions", publication(newer, false), OPERATOR)
                .status())
        .isEqualTo(201);

    JsonNode versions = api.get("/privacy/policy/versions", Map.of()).json().path("versions");

    List<String> names = new ArrayList<>();
    versions.forEach(v -> names.add(v.path("version").asText()));
    assertThat(names).containsSubsequence(newer, older, "2026-11-01");
    versions.forEach(v -> assertThat(v.has("text")).isFalse());
    versions.forEach(v -> assertThat(v.has("publishedAt")).isTrue());
  }

  @Test
  void publish_withoutIam_isRefused_andWritesNothing() {
    String version = "it-anon-" + UUID.randomUUID().toString().substring(0, 8);

    Response anonymous =
        api.post("/admin/privacy/policy/versions", publication(version, false), Map.of());

    assertThat(anonymous.status()).isIn(401, 403);
    assertThat(raw(version)).isEmpty();
  }

  @Test
  void publish_refusesWhatAnOperatorMustNotSend_withJsonAndNoWrite() {
    String version = "it-bad-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> typedPeriod = publication(version, false);
    typedPeriod.put("text", "{{dataClasses}}\n{{processors}}\nWe keep messages for 5 years.");
    Map<String, Object> unknownField = publication(version, false);
    unknownField.put("publishedAt", "2020-01-01T00:00:00Z");
    Map<String, Object> badName = publication("../" + version, false);
    Map<String, Object> noFacts = publication(version, false);
    noFacts.put("text", "# A policy without the facts");

    for (Map<String, Object> body : List.of(typedPeriod, unknownField, badName, noFacts)) {
      Response refused = api.post("/admin/privacy/policy/versions", body, OPERATOR);
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().path("error").asText()).isEqualTo("validation_failed");
    }
    assertThat(raw(version)).isEmpty();
  }

  @Test
  void anUnknownVersion_answers404Json() {
    Response response = api.get("/privacy/policy/versions/never-published", Map.of());

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void unknownRoute_answers404Json() {
    Response response = api.get("/privacy/nothing-here", Map.of());

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().path("message").asText()).isEqualTo("Not Found");
  }

  @Test
  void writingVerbsOnThePublicRoutes_answer404LikeApiGateway() {
    assertThat(api.send("DELETE", "/privacy/policy", null, Map.of()).status()).isEqualTo(404);
    assertThat(api.send("PUT", "/privacy/policy/versions/2026-11-01", "{}", OPERATOR).status())
        .isEqualTo(404);
    assertThat(api.send("DELETE", "/admin/privacy/policy/versions", null, OPERATOR).status())
        .isEqualTo(404);
  }
}
