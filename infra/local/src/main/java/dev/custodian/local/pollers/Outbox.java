package dev.custodian.local.pollers;

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
 * The emails the functions sent through SES, as the emulator keeps them: moto lists them in its
 * model data, LocalStack at {@code /_aws/ses}; on other emulators the outbox is not available.
 */
public final class Outbox {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public Outbox(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** The sent messages, oldest first; empty when the emulator does not expose them. */
  public Optional<List<Map<String, Object>>> messages() throws IOException {
    // The local cloud's own moto launcher serves SES's part of the model data alone (see
    // moto_server.py): the whole model data holds every item of every table.
    Optional<String> ses = get("/_custodian/ses.json");
    if (ses.isPresent()) {
      return Optional.of(fromMoto(JSON.readTree(ses.get())));
    }
    Optional<String> moto = get("/moto-api/data.json");
    if (moto.isPresent()) {
      return Optional.of(fromMoto(JSON.readTree(moto.get()).path("ses")));
    }
    Optional<String> localStack = get("/_aws/ses");
    if (localStack.isPresent()) {
      return Optional.of(fromLocalStack(JSON.readTree(localStack.get()).path("messages")));
    }
    return Optional.empty();
  }

  private Optional<String> get(String path) throws IOException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve(path))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static List<Map<String, Object>> fromLocalStack(JsonNode messages) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode message : messages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", message.path("Id").asText());
      m.put("from", message.path("Source").asText());
      List<String> to = new ArrayList<>();
      message.path("Destination").path("ToAddresses").forEach(a -> to.add(a.asText()));
      m.put("to", to);
      m.put("subject", message.path("Subject").asText());
      m.put("body", message.path("Body").path("text_part").asText());
      out.add(m);
    }
    return out;
  }

  private static List<Map<String, Object>> fromMoto(JsonNode ses) {
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
    return out;
  }
}
