package dev.custodian.privacy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** GET /privacy/policy through the local cloud: template, packaged jar, gateway, HTTP. */
class PolicyRouteIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = cloud.baseUri().resolve(path);
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getPolicy_servesTheTemplateDefaults_overHttp() throws Exception {
    HttpResponse<String> response = get("/privacy/policy");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = Json.MAPPER.readTree(response.body());
    assertThat(body.path("version").asText()).isEqualTo("2026-11-01");
    assertThat(body.path("effectiveFrom").asText()).isEqualTo("2026-11-01");
    assertThat(body.path("url").asText()).isEqualTo("https://shop.example/privacy");
  }

  @Test
  void unknownRoute_answers404Json() throws Exception {
    HttpResponse<String> response = get("/privacy/nothing-here");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(response.body()).path("message").asText())
        .isEqualTo("Not Found");
  }

  @Test
  void wrongMethodOnAKnownPath_answers404LikeApiGateway() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(cloud.baseUri().resolve("/privacy/policy")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
  }
}
