package dev.custodian.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emails the functions sent through SES, as the emulator keeps them. moto lists them in its
 * model data; other emulators may not, and then the outbox says it is not available.
 */
final class Outbox {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  Outbox(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** The sent messages, oldest first; empty when the emulator does not expose them. */
  Optional<List<Map<String, Object>>> messages() throws IOException {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      return Optional.empty();
    }
    JsonNode ses = JSON.readTree(response.body()).path("ses");
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode message : ses.path("Message")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", message.path("id").asText());
      m.put("from", message.path("source").asText());
      List<String> to = new ArrayList<>();
      message.path("destinations").path("ToAddresses").forEach(a -> to.add(a.asText()));
      m.put("to", to);
      m.put("subject", message.path("subject").asText());
      m.put("body", message.path("body").asText());
      out.add(m);
    }
    for (JsonNode message : ses.path("RawMessage")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", message.path("id").asText());
      m.put("from", message.path("source").asText());
      List<String> to = new ArrayList<>();
      message.path("destinations").forEach(a -> to.add(a.asText()));
      m.put("to", to);
      m.put("raw", message.path("raw_data").asText());
      out.add(m);
    }
    return Optional.of(out);
  }
}
