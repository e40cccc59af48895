package dev.custodian.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.gateway.Gateway;
import dev.custodian.local.pollers.Outbox;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The helpers the local cloud answers under {@code /_local/} (see docs/local-cloud.md): an account
 * token, a TTL sweep, the SES outbox and a stand-in payment. They exist only locally.
 */
final class LocalRoutes implements Gateway.LocalRoutes {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalCloud cloud;
  private final Outbox outbox;
  private final byte[] paymentSecret;

  LocalRoutes(LocalCloud cloud, Outbox outbox, byte[] paymentSecret) {
    this.cloud = cloud;
    this.outbox = outbox;
    this.paymentSecret = paymentSecret;
  }

  @Override
  public Gateway.Answer handle(String method, String path, byte[] body) throws IOException {
    if (method.equals("POST") && path.startsWith("/_local/pay/")) {
      return LocalShop.pay(cloud, paymentSecret, path.substring("/_local/pay/".length()), body);
    }
    switch (method + " " + path) {
      case "POST /_local/token" -> {
        return token(body);
      }
      case "POST /_local/ttl-sweep" -> {
        return new Gateway.Answer(200, Map.of("deleted", cloud.sweepTtl()));
      }
      case "GET /_local/outbox" -> {
        Optional<List<Map<String, Object>>> messages = outbox.messages();
        return messages
            .map(m -> new Gateway.Answer(200, Map.of("messages", m)))
            .orElseGet(
                () ->
                    new Gateway.Answer(
                        501, Map.of("message", "The outbox is not available on this emulator.")));
      }
      default -> {
        return new Gateway.Answer(404, Map.of("message", "Not Found"));
      }
    }
  }

  /** {@code POST /_local/token}: an account token with the body's claims (a "sub" at least). */
  private Gateway.Answer token(byte[] body) {
    JsonNode request;
    try {
      request = JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
    } catch (IOException e) {
      return new Gateway.Answer(400, Map.of("message", "The body must be JSON."));
    }
    if (request == null
        || !request.path("sub").isTextual()
        || request.path("sub").asText().isBlank()) {
      return new Gateway.Answer(400, Map.of("message", "Give a \"sub\" for the token."));
    }
    Map<String, Object> claims = new LinkedHashMap<>();
    request
        .fields()
        .forEachRemaining(
            e -> claims.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    return new Gateway.Answer(200, Map.of("token", cloud.mintToken(claims)));
  }
}
