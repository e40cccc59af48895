package dev.custodian.privacy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.LambdaEvents;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PolicyHandlerTest {

  private final PolicyHandler handler =
      new PolicyHandler(
          new PolicyConfig("2026-11-01", LocalDate.parse("2026-11-01"), "https://shop.example/p"));

  @Test
  void getPolicy_answersTheConfiguredVersionDateAndUrl() throws Exception {
    APIGatewayV2HTTPEvent event =
        LambdaEvents.read("privacy/get-policy.json", APIGatewayV2HTTPEvent.class);

    APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
    JsonNode body = Json.MAPPER.readTree(response.getBody());
    assertThat(body.path("version").asText()).isEqualTo("2026-11-01");
    assertThat(body.path("effectiveFrom").asText()).isEqualTo("2026-11-01");
    assertThat(body.path("url").asText()).isEqualTo("https://shop.example/p");
    assertThat(body.size()).isEqualTo(3);
  }

  @Test
  void config_namesTheMissingVariable_withoutGuessingADefault() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PolicyConfig.fromEnvironment(java.util.Map.of("POLICY_VERSION", "v1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("POLICY_EFFECTIVE_FROM");
  }
}
