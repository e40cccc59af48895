package dev.custodian.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local cloud's stand-in for an identity provider: it mints account tokens (HS256, with a key
 * made at start-up) and verifies them for routes with a JWT authorizer, as API Gateway would verify
 * the shop's real provider's tokens.
 */
public final class LocalJwt {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] key = new byte[32];

  public LocalJwt() {
    new SecureRandom().nextBytes(key);
  }

  /** A signed token for {@code claims}; iat, exp (one hour) and auth_time are added if absent. */
  public String mint(Map<String, Object> claims, String issuer, List<String> audience) {
    long now = Instant.now().getEpochSecond();
    ObjectNode payload = JSON.createObjectNode();
    payload.put("iss", issuer);
    if (!audience.isEmpty()) {
      payload.put("aud", audience.get(0));
    }
    payload.put("iat", now);
    payload.put("exp", now + 3600);
    payload.put("auth_time", now);
    payload.put("token_use", "id");
    claims.forEach((name, value) -> payload.set(name, JSON.valueToTree(value)));
    String header = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String body = encode(payload.toString().getBytes(StandardCharsets.UTF_8));
    return header + "." + body + "." + encode(sign(header + "." + body));
  }

  /**
   * The token's claims when its signature, expiry, issuer and audience hold; empty otherwise. Claim
   * values are given as strings, as API Gateway passes them.
   */
  Optional<Map<String, String>> verify(String token, String issuer, List<String> audience) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode header = JSON.readTree(DECODER.decode(parts[0]));
      if (!"HS256".equals(header.path("alg").asText())) {
        return Optional.empty();
      }
      byte[] expected = sign(parts[0] + "." + parts[1]);
      if (!MessageDigest.isEqual(expected, DECODER.decode(parts[2]))) {
        return Optional.empty();
      }
      JsonNode claims = JSON.readTree(DECODER.decode(parts[1]));
      long now = Instant.now().getEpochSecond();
      if (!claims.path("exp").canConvertToLong() || claims.path("exp").asLong() <= now) {
        return Optional.empty();
      }
      if (claims.has("nbf") && claims.path("nbf").asLong() > now) {
        return Optional.empty();
      }
      if (issuer != null && !issuer.equals(claims.path("iss").asText())) {
        return Optional.empty();
      }
      if (!audience.isEmpty() && !audienceMatches(claims.path("aud"), audience)) {
        return Optional.empty();
      }
      Map<String, String> out = new LinkedHashMap<>();
      claims
          .fields()
          .forEachRemaining(
              e ->
                  out.put(
                      e.getKey(),
                      e.getValue().isTextual() ? e.getValue().asText() : flat(e.getValue())));
      return Optional.of(out);
    } catch (IllegalArgumentException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  private static boolean audienceMatches(JsonNode aud, List<String> allowed) {
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (allowed.contains(a.asText())) {
          return true;
        }
      }
      return false;
    }
    return allowed.contains(aud.asText());
  }

  /** API Gateway renders an array claim as "[a b]" and numbers as text. */
  private static String flat(JsonNode value) {
    if (value.isArray()) {
      StringBuilder out = new StringBuilder("[");
      value.forEach(v -> out.append(out.length() > 1 ? " " : "").append(v.asText()));
      return out.append(']').toString();
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private byte[] sign(String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }
}
