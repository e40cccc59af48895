package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.http.ApiException;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Operator routes of data-subject requests, and the code's ten-minute life (injected clock). */
class PrivacyAdminIT {

  private static final Map<String, String> OPERATOR =
      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);
  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();
  private final Map<String, String> env = cloud.environmentOf("PrivacyRequestFunction");

  /** A request of a known subject (a subject is made directly in the key store). */
  private String knownRequest(String email) {
    PrivacyCore core = core(Clock.systemUTC());
    core.directory().findOrCreateByEmail(email);
    return scenarios.request("ACCESS", email);
  }

  private PrivacyCore core(Clock clock) {
    return new PrivacyCore(CoreConfig.fromEnvironment(env), AwsClients.fromEnvironment(env), clock);
  }

  @Test
  void operatorsList_extendOnce_andDeny_andThePersonIsTold() throws Exception {
    String email = "admin." + UUID.randomUUID() + "@example.com";
    String extended = knownRequest(email);
    String denied = knownRequest(email);
    String overdue = knownRequest(email);
    cloud
        .emulator()
        .dynamoDb()
        .updateItem(
            b ->
                b.tableName(env.get("PRIVACY_REQUESTS_TABLE"))
                    .key(Map.of("pk", AttributeValue.fromS("request#" + overdue)))
                    .updateExpression("SET dueAt = :past")
                    .expressionAttributeValues(
                        Map.of(
                            ":past",
                            AttributeValue.fromS(
                                Instant.now().minus(Duration.ofDays(2)).toString()))));

    Response list = api.get("/admin/privacy-requests?status=PENDING_VERIFICATION", OPERATOR);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().path("requests").get(0).path("overdue").asBoolean()).isTrue();
    // every page of the list (other tests' requests are in it too)
    com.fasterxml.jackson.databind.node.ArrayNode rows =
        dev.custodian.core.json.Json.MAPPER.createArrayNode();
    while (true) {
      list.json().path("requests").forEach(rows::add);
      if (!list.json().hasNonNull("next")) {
        break;
      }
      list =
          api.get(
              "/admin/privacy-requests?status=PENDING_VERIFICATION&cursor="
                  + list.json().path("next").asText(),
              OPERATOR);
      assertThat(list.status()).isEqualTo(200);
    }
    assertThat(rows.toString()).contains(extended).contains(denied).doesNotContain("@");
    for (JsonNode row : rows) {
      if (row.path("requestId").asText().equals(extended)) {
        assertThat(row.path("daysLeft").asInt()).isBetween(27, 31);
      }
    }

    Response extension =
        api.post(
            "/admin/privacy-requests/" + extended + "/extend",
            Map.of("reason", "Many records to gather"),
            OPERATOR);
    assertThat(extension.status()).isEqualTo(200);
    assertThat(Instant.parse(extension.json().path("dueAt").asText()))
        .isAfter(Instant.now().plus(Duration.ofDays(85)));
    assertThat(
            api.post(
                    "/admin/privacy-requests/" + extended + "/extend",
                    Map.of("reason", "Again please"),
                    OPERATOR)
                .status())
        .isEqualTo(409);
    assertThat(scenarios.awaitEmail(email, extended)).isNotBlank();

    assertThat(
            api.post(
                    "/admin/privacy-requests/" + denied + "/deny",
                    Map.of("reason", "Manifestly unfounded"),
                    OPERATOR)
                .status())
        .isEqualTo(200);
    assertThat(
            api.post(
                    "/admin/privacy-requests/" + denied + "/deny",
                    Map.of("reason", "Manifestly unfounded"),
                    OPERATOR)
                .status())
        .isEqualTo(409);
    assertThat(
            api.get("/admin/privacy-requests?status=DENIED&limit=100", OPERATOR).json().toString())
        .contains(denied);

    assertThat(api.get("/admin/privacy-requests", Map.of()).status()).isEqualTo(403);
    assertThat(api.get("/admin/privacy-requests?status=LOST", OPERATOR).status()).isEqualTo(400);
    assertThat(
            api.post("/admin/privacy-requests/" + extended + "/deny", Map.of(), OPERATOR).status())
        .isEqualTo(400);
  }

  @Test
  void aCodeOlderThanTenMinutes_isRefused() throws Exception {
    String email = "late." + UUID.randomUUID() + "@example.com";
    String requestId = knownRequest(email);
    String code = scenarios.code(email, requestId);
    Clock elevenMinutesLater = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11));
    PrivacyCore later = core(elevenMinutesLater);
    PrivacyRequests requests = PrivacyRequestHandler.wire(env, later);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> requests.verify(requestId, code, "test"))
        .isInstanceOf(ApiException.class);
    // and the request is rejected: the right code no longer works even in time
    assertThat(scenarios.verify(requestId, code).status()).isEqualTo(400);
  }

  @Test
  void theRecordOfProcessing_isServedToOperators_only() {
    Response record = api.get("/admin/privacy/record-of-processing", OPERATOR);

    assertThat(record.status()).isEqualTo(200);
    JsonNode classes = record.json().path("dataClasses");
    assertThat(classes.size()).isGreaterThan(10);
    JsonNode contact = null;
    for (JsonNode c : classes) {
      if (c.path("dataClass").asText().equals("ORDER_CONTACT")) {
        contact = c;
      }
    }
    assertThat(contact).isNotNull();
    assertThat(contact.path("readBy").toString()).contains("OrderAdminFunction");
    assertThat(contact.path("writtenBy").toString()).contains("PlaceOrderFunction");
    assertThat(contact.path("processors").toString()).contains("LOGISTICS");
    assertThat(contact.path("legalBasis").asText()).isNotBlank();
    assertThat(contact.path("safeguards").path("sealing").asText()).isNotBlank();
    assertThat(record.json().path("functions").toString()).contains("DisclosureAdminFunction");
    assertThat(api.get("/admin/privacy/record-of-processing", Map.of()).status()).isEqualTo(403);
  }
}
