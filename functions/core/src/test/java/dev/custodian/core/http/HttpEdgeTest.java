package dev.custodian.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEdgeTest {

  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

  @BeforeEach
  void captureLogs() {
    Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLogs() {
    Log.redirect(null);
  }

  private static APIGatewayV2HTTPEvent event() {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRouteKey("POST /things");
    event.setHeaders(Map.of("content-type", "application/json"));
    APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
    context.setRequestId("req-1");
    event.setRequestContext(context);
    return event;
  }

  private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
    return Json.MAPPER.readTree(response.getBody());
  }

  @Test
  void apiException_isMappedToItsStatusAndCode_withFields() throws Exception {
    APIGatewayV2HTTPResponse response =
        HttpEdge.serve(
            event(),
            null,
            request -> {
              throw new ApiException(
                  ErrorCode.VALIDATION_FAILED,
                  "The request is not valid.",
                  List.of(new ApiException.FieldProblem("customer.email", "must be an email")));
            });

    assertThat(response.getStatusCode()).isEqualTo(400);
    JsonNode body = body(response);
    assertThat(body.path("error").asText()).isEqualTo("validation_failed");
    assertThat(body.path("fields").get(0).path("field").asText()).isEqualTo("customer.email");
    assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
    assertThat(response.getHeaders()).containsEntry("cache-control", "no-store");
  }

  @Test
  void unexpectedFailure_answersAGeneric500_andLogsNoMessage() throws Exception {
    APIGatewayV2HTTPResponse response =
        HttpEdge.serve(
            event(),
            null,
            request -> {
              throw new IllegalStateException("jane.doe@example.com broke it");
            });

    assertThat(response.getStatusCode()).isEqualTo(500);
    JsonNode body = body(response);
    assertThat(body.path("error").asText()).isEqualTo("internal_error");
    assertThat(response.getBody()).doesNotContain("jane").doesNotContain("IllegalState");
    String logged = logs.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("java.lang.IllegalStateException").contains("req-1");
    assertThat(logged).doesNotContain("jane.doe@example.com");
  }

  @Test
  void everyLogLine_isOneJsonObject_withTheRequestId() throws Exception {
    HttpEdge.serve(event(), null, request -> HttpResponse.json(201, Map.of("id", "x")));

    String[] lines = logs.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode entry = Json.MAPPER.readTree(line);
      assertThat(entry.path("requestId").asText()).isEqualTo("req-1");
      assertThat(entry.path("level").asText()).isNotBlank();
    }
  }
}
