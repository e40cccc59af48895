package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LambdaEvents;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every record made under the policy stores the version in force, as the server knows it (not as a
 * page claims), and the export shows it per record: contact messages, the account's profile,
 * privacy requests and consented analytics events (orders carry it already).
 */
class PolicyStampIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  @Test
  void eachRecord_storesTheVersionInForce_andTheExportShowsIt() throws Exception {
    String inForce = api.get("/privacy/policy", Map.of()).json().path("version").asText();
    String email = "stamped." + UUID.randomUUID() + "@example.com";
    String visitor = "v-" + UUID.randomUUID().toString().replace("-", "");
    Map<String, String> account = scenarios.signIn("acct-" + UUID.randomUUID(), email);
    assertThat(
            api.send("PUT", "/me", Json.write(Map.of("version", 0, "name", "Stamped")), account)
                .status())
        .isEqualTo(200);
    ObjectNode message =
        (ObjectNode)
            Json.MAPPER.readTree(
                LambdaEvents.read("contact/submit.json", APIGatewayV2HTTPEvent.class).getBody());
    message.put("email", email);
    message.remove("orderId");
    message.put("policyVersion", "an-old-page-version"); // what a stale page may claim
    Response sent = api.post("/contact", message, Map.of());
    assertThat(sent.status()).isEqualTo(202);
    String ticketId = sent.json().path("ticketId").asText();
    Response events = scenarios.pageViews(visitor, "/catalogue");
    assertThat(events.json().path("accepted").asInt()).isEqualTo(1);

    Response access =
        api.post(
            "/me/privacy-requests",
            Map.of("type", "ACCESS", "visitorIds", List.of(visitor)),
            account);
    assertThat(access.status()).isEqualTo(202);
    String requestId = access.json().path("requestId").asText();
    Response export = scenarios.export(Request.from(requestId, access));

    // the raw records
    Map<String, AttributeValue> ticket =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                g ->
                    g.tableName(cloud.ref("ContactTable"))
                        .key(Map.of("pk", AttributeValue.fromS("ticket#" + ticketId))))
            .item();
    assertThat(ticket.get("policyVersion").s()).isEqualTo(inForce);
    Map<String, AttributeValue> request =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                g ->
                    g.tableName(cloud.ref("PrivacyRequestsTable"))
                        .key(Map.of("pk", AttributeValue.fromS("request#" + requestId))))
            .item();
    assertThat(request.get("policyVersion").s()).isEqualTo(inForce);

    // the export, per record
    assertThat(export.status()).isEqualTo(200);
    JsonNode data = export.json().path("data");
    assertThat(data.path("profile").path("policyVersion").asText()).isEqualTo(inForce);
    assertThat(data.path("profile").path("email").asText()).isEqualTo(email);
    assertThat(data.path("contactMessages")).isNotEmpty();
    data.path("contactMessages")
        .forEach(m -> assertThat(m.path("policyVersion").asText()).isEqualTo(inForce));
    assertThat(data.path("analyticsEvents")).hasSize(1);
    assertThat(data.path("analyticsEvents").get(0).path("policyVersion").asText())
        .isEqualTo(inForce);
    assertThat(data.path("privacyRequests")).isNotEmpty();
    data.path("privacyRequests")
        .forEach(r -> assertThat(r.path("policyVersion").asText()).isEqualTo(inForce));
  }
}
