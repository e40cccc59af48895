package dev.custodian.privacy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.json.Json;
import dev.custodian.core.policy.PolicyText;
import dev.custodian.core.policy.PolicyVersion;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.local.LambdaEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyAdminHandlerTest {

  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private final RetentionRegistry retention =
      RetentionRegistry.fromEnvironment(Map.of("RETENTION_ANALYTICS_EVENT_DAYS", "30"));

  private final PolicyAdminHandler handler =
      new PolicyAdminHandler(
          null,
          "policy",
          new CoreConfig("key", "subjects", "audit", "idem", 10, Duration.ofMinutes(5), retention),
          null,
          Clock.systemUTC());

  private static ObjectNode body(String version) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("version", version);
    body.put("material", true);
    body.put("summaryOfChanges", "Analytics events are kept for a shorter time.");
    return body;
  }

  @Test
  void compose_rendersTheDefaultTemplate_withThisDeploymentsRetention() {
    PolicyVersion version = handler.compose(body("2027-01"), NOW);

    assertThat(version.publishedAt()).isEqualTo(NOW);
    assertThat(version.material()).isTrue();
    assertThat(PolicyText.statedRetention(version.text()))
        .containsEntry("Analytics events", "30 days");
    assertThat(PolicyText.disagreements(version.text(), retention)).isEmpty();
  }

  @Test
  void compose_takesEffectOnPublication_unlessALaterDateIsGiven() {
    ObjectNode backdated = body("a");
    backdated.put("effectiveFrom", "2020-01-01T00:00:00Z");
    ObjectNode scheduled = body("b");
    scheduled.put("effectiveFrom", "2027-01-01T00:00:00Z");

    assertThat(handler.compose(backdated, NOW).effectiveFrom()).isEqualTo(NOW);
    assertThat(handler.compose(scheduled, NOW).effectiveFrom())
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void compose_refusesProseThatStatesItsOwnPeriods() {
    ObjectNode typed = body("c");
    typed.put("text", "# Policy\n{{dataClasses}}\n{{processors}}\nWe keep orders 99 years.");

    assertThatThrownBy(() -> handler.compose(typed, NOW))
        .isInstanceOf(ApiException.class)
        .satisfies(
            e ->
                assertThat(((ApiException) e).fields().get(0).problem())
                    .contains("states a period (99 years)"));
  }

  @Test
  void compose_keepsTheOperatorsProse_aroundTheGeneratedFacts() {
    ObjectNode own = body("d");
    own.put("text", "# Our promise\n\nWe sell nothing.\n\n{{dataClasses}}\n\n{{processors}}\n");

    String text = handler.compose(own, NOW).text();

    assertThat(text).startsWith("# Our promise\n\nWe sell nothing.\n\n| Data |");
    assertThat(text).contains("| Processor | Why | What it receives |");
  }

  @Test
  void publish_withoutAnIamPrincipal_isRefusedBeforeAnythingIsRead() throws Exception {
    APIGatewayV2HTTPEvent event =
        LambdaEvents.read("privacy/publish-policy-version.json", APIGatewayV2HTTPEvent.class);
    event.getRequestContext().setAuthorizer(null);

    APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

    assertThat(response.getStatusCode()).isEqualTo(403);
    assertThat(Json.MAPPER.readTree(response.getBody()).path("error").asText())
        .isEqualTo("forbidden");
  }
}
