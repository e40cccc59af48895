package dev.custodian.privacy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.core.policy.PolicyVersions;
import dev.custodian.local.LambdaEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

class PolicyHandlerTest {

  /** The table's items, as a stand-in for DynamoDB (the ITs use the real thing). */
  private final List<Map<String, AttributeValue>> items = new ArrayList<>();

  private final DynamoDbClient table =
      new DynamoDbClient() {
        @Override
        public ScanResponse scan(ScanRequest request) {
          return ScanResponse.builder().items(items).build();
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
          return GetItemResponse.builder()
              .item(
                  items.stream()
                      .filter(i -> i.get("pk").equals(request.key().get("pk")))
                      .findFirst()
                      .orElse(null))
              .build();
        }

        @Override
        public String serviceName() {
          return "dynamodb";
        }

        @Override
        public void close() {}
      };

  private final PolicyHandler handler =
      new PolicyHandler(
          new PolicyVersions(table, "policy"),
          Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC));

  private void published(String version, String at, String from, boolean material) {
    items.add(
        Map.of(
            "pk", AttributeValue.fromS("version#" + version),
            "version", AttributeValue.fromS(version),
            "publishedAt", AttributeValue.fromS(at),
            "effectiveFrom", AttributeValue.fromS(from),
            "material", AttributeValue.fromBool(material),
            "summaryOfChanges", AttributeValue.fromS("changes of " + version),
            "text", AttributeValue.fromS("# Text of " + version)));
  }

  private APIGatewayV2HTTPResponse get(String routeKey, String version) throws Exception {
    APIGatewayV2HTTPEvent event =
        LambdaEvents.read("privacy/get-policy.json", APIGatewayV2HTTPEvent.class);
    event.setRouteKey(routeKey);
    if (version != null) {
      event.setPathParameters(Map.of("version", version));
    }
    return handler.handleRequest(event, null);
  }

  @Test
  void getPolicy_answersTheVersionInForce_withItsText_notOneScheduledLater() throws Exception {
    published("2026-11-01", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", false);
    published("2027-01", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", true);

    APIGatewayV2HTTPResponse response = get("GET /privacy/policy", null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
    assertThat(response.getHeaders()).containsEntry("cache-control", PolicyHandler.CACHE);
    JsonNode body = Json.MAPPER.readTree(response.getBody());
    assertThat(body.path("version").asText()).isEqualTo("2026-11-01");
    assertThat(body.path("effectiveFrom").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(body.path("text").asText()).isEqualTo("# Text of 2026-11-01");
    assertThat(body.path("material").asBoolean()).isFalse();
    assertThat(body.size()).isEqualTo(6);
  }

  @Test
  void getPolicy_answers404Json_beforeAnyVersionIsPublished() throws Exception {
    APIGatewayV2HTTPResponse response = get("GET /privacy/policy", null);

    assertThat(response.getStatusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(response.getBody()).path("error").asText())
        .isEqualTo("not_found");
  }

  @Test
  void versions_listsTheHistoryNewestFirst_withoutTheTexts() throws Exception {
    published("2026-11-01", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", false);
    published("2027-01", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", true);

    JsonNode body =
        Json.MAPPER.readTree(get("GET /privacy/policy/versions", null).getBody()).path("versions");

    assertThat(body).hasSize(2);
    assertThat(body.get(0).path("version").asText()).isEqualTo("2027-01");
    assertThat(body.get(0).path("material").asBoolean()).isTrue();
    assertThat(body.get(1).path("version").asText()).isEqualTo("2026-11-01");
    assertThat(body.get(0).has("text")).isFalse();
  }

  @Test
  void aPastVersion_isReadableByName_andAnUnknownOneIs404() throws Exception {
    published("2026-11-01", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", false);

    APIGatewayV2HTTPResponse found = get("GET /privacy/policy/versions/{version}", "2026-11-01");
    APIGatewayV2HTTPResponse unknown = get("GET /privacy/policy/versions/{version}", "1999");
    APIGatewayV2HTTPResponse malformed = get("GET /privacy/policy/versions/{version}", "../../etc");

    assertThat(found.getStatusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(found.getBody()).path("text").asText())
        .isEqualTo("# Text of 2026-11-01");
    assertThat(unknown.getStatusCode()).isEqualTo(404);
    assertThat(malformed.getStatusCode()).isEqualTo(404);
  }
}
