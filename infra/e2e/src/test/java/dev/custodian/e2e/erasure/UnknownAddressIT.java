package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Requests about an address the shop does not know take the same flow as any other — a code email,
 * the same writes — and learn that nothing is held only once verified.
 */
class UnknownAddressIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  private Map<String, AttributeValue> rawRequest(String requestId) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(cloud.ref("PrivacyRequestsTable"))
                    .key(Map.of("pk", AttributeValue.fromS("request#" + requestId)))
                    .consistentRead(true))
        .item();
  }

  @Test
  void knownAndUnknownEmails_getTheSameAnswer_theSameCodeEmail_andTheSameStoredRequest()
      throws Exception {
    String knownEmail = scenarios.knownEmail("known");
    String unknownEmail = "nobody." + UUID.randomUUID() + "@example.com";
    Response known =
        api.post("/privacy/requests", Map.of("type", "ERASURE", "email", knownEmail), Map.of());
    Response unknown =
        api.post("/privacy/requests", Map.of("type", "ERASURE", "email", unknownEmail), Map.of());

    assertThat(unknown.status()).isEqualTo(known.status()).isEqualTo(202);
    assertThat(fieldNames(unknown.json())).isEqualTo(fieldNames(known.json()));
    assertThat(unknown.json().path("status")).isEqualTo(known.json().path("status"));
    String knownId = known.json().path("requestId").asText();
    String unknownId = unknown.json().path("requestId").asText();
    // both mailboxes get a code; neither stored request says whether its address is known
    scenarios.code(knownEmail, knownId);
    scenarios.code(unknownEmail, unknownId);
    Map<String, AttributeValue> knownItem = rawRequest(knownId);
    Map<String, AttributeValue> unknownItem = rawRequest(unknownId);
    assertThat(unknownItem.keySet()).isEqualTo(knownItem.keySet()).doesNotContain("subjectId");
    assertThat(unknownItem.get("status")).isEqualTo(knownItem.get("status"));
  }

  @Test
  void anUnknownAddress_verified_completesAsNoDataHeld_andCreatesNoSubject() throws Exception {
    String email = "nobody." + UUID.randomUUID() + "@example.com";
    String requestId = scenarios.request("ACCESS", email);
    String code = scenarios.code(email, requestId);
    int subjectsBefore = TableCounts.of(cloud).get(cloud.ref("SubjectsTable"));

    Response verified = scenarios.verify(requestId, code);
    assertThat(verified.status()).isEqualTo(200);
    // answered as for any address: the export worker finds that nothing is held
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    JsonNode status = scenarios.awaitCompleted(Request.from(requestId, verified));
    assertThat(status.path("result").path("noDataHeld").asBoolean()).isTrue();
    assertThat(scenarios.awaitEmail(email, requestId + ") about")).contains("no personal data");
    assertThat(TableCounts.of(cloud).get(cloud.ref("SubjectsTable"))).isEqualTo(subjectsBefore);
    assertThat(rawRequest(requestId)).doesNotContainKey("subjectId");
  }

  @Test
  void anUnknownAddress_erasure_erasesTheVisitorHistoryGiven_andReportsNoDataHeld()
      throws Exception {
    String email = "visitor-only." + UUID.randomUUID() + "@example.com";
    String visitor = "visitor-" + UUID.randomUUID();
    assertThat(scenarios.pageViews(visitor, "/a", "/b").json().path("accepted").asInt())
        .isEqualTo(2);
    assertThat(cloud.awaitStreams(java.time.Duration.ofSeconds(20))).isTrue();
    String events = cloud.ref("AnalyticsEventsTable");
    int before = TableCounts.of(cloud).get(events);

    String requestId = scenarios.request("ERASURE", email, Map.of("visitorIds", List.of(visitor)));
    Response verified = scenarios.verify(requestId, scenarios.code(email, requestId));
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    JsonNode status = scenarios.awaitCompleted(Request.from(requestId, verified));
    assertThat(status.path("result").path("noDataHeld").asBoolean()).isTrue();
    assertThat(status.path("result").path("keyShredded").asBoolean()).isFalse();
    assertThat(status.path("result").path("deleted").path("ANALYTICS_EVENT").asInt()).isEqualTo(2);
    // the two events and the visitor's day marker are gone
    assertThat(TableCounts.of(cloud).get(events)).isEqualTo(before - 3);
  }

  @Test
  void anUnknownAddress_access_exportsTheVisitorHistoryGiven_sealed() throws Exception {
    String email = "visitor-only." + UUID.randomUUID() + "@example.com";
    String visitor = "visitor-" + UUID.randomUUID();
    String page = "/seen-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(scenarios.pageViews(visitor, page, page).status()).isEqualTo(202);
    String requestId = scenarios.request("ACCESS", email, Map.of("visitorIds", List.of(visitor)));
    Response verified = scenarios.verify(requestId, scenarios.code(email, requestId));
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");

    Response export = scenarios.export(Request.from(requestId, verified));
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.json().path("data").path("analyticsEvents")).hasSize(2);
    assertThat(export.json().path("data").path("orders")).isEmpty();
    assertThat(export.json().path("information").path("retention")).isNotEmpty();
    // stored sealed, under a key of its own, with no subject
    Map<String, AttributeValue> stored =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(cloud.ref("ExportsTable"))
                        .key(Map.of("pk", AttributeValue.fromS("export#" + requestId))))
            .item();
    assertThat(stored).containsKey("wrappedKey").doesNotContainKey("subjectId");
    assertThat(stored.toString()).doesNotContain(page);
    assertThat(api.get("/privacy/requests/" + requestId + "/export", Map.of()).status())
        .isEqualTo(404);
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
