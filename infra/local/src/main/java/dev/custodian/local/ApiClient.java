package dev.custodian.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for the integration tests: JSON in, status and JSON out. */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A fake SigV4 header with the operator role's key: the local gateway authorizes the role the key
   * names (execute-api:Invoke), not the signature.
   */
  public static final String OPERATOR_SIGNATURE =
      "AWS4-HMAC-SHA256 Credential=LOCALOperatorRole/20261124/us-east-1/execute-api/aws4_request,"
          + " SignedHeaders=host;x-amz-date, Signature=0000";

  /**
   * The same role's key under another session name (another person of the operator role): the
   * principal the handlers see is {@code assumed-role/OperatorRole/<session>}.
   */
  public static String operatorSignature(String session) {
    return OPERATOR_SIGNATURE.replace("LOCALOperatorRole/", "LOCALOperatorRole." + session + "/");
  }

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public ApiClient(URI base) {
    this.base = base;
  }

  /** A response: status, headers and the body (parsed when it is JSON). */
  public record Response(int status, Map<String, java.util.List<String>> headers, String body) {
    /** The first value of a header, whatever its case; null when absent. */
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public Response send(String method, String path, String body, Map<String, String> headers) {
    return sendBytes(
        method,
        path,
        body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        headers);
  }

  /** Sends raw bytes (not necessarily UTF-8, not necessarily JSON) as the body. */
  public Response sendBytes(String method, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null && !headers.containsKey("content-type")) {
      request.header("content-type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response get(String path, Map<String, String> headers) {
    return send("GET", path, null, headers);
  }

  public Response post(String path, Object body, Map<String, String> headers) {
    return send("POST", path, body instanceof String s ? s : write(body), headers);
  }

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body of the first email in the local outbox to {@code to} that mentions {@code about}. */
  public String awaitEmail(String to, String about) {
    for (int i = 0; i < 150; i++) {
      for (JsonNode m : get("/_local/outbox", Map.of()).json().path("messages")) {
        if (m.path("to").toString().contains(to) && m.path("body").asText().contains(about)) {
          return m.path("body").asText();
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("no email about " + about + " arrived in the outbox");
  }

  /**
   * Places the sample order of {@code events/orders/place-order.json} for the address (a new
   * idempotency key each time); answers the created order ({@code orderId}, {@code orderToken},
   * ...).
   */
  public JsonNode placeOrder(String email) {
    try {
      JsonNode event =
          JSON.readTree(
              java.nio.file.Files.readString(ProjectFiles.event("orders/place-order.json")));
      com.fasterxml.jackson.databind.node.ObjectNode body =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              JSON.readTree(event.path("body").asText());
      ((com.fasterxml.jackson.databind.node.ObjectNode) body.path("customer")).put("email", email);
      Response placed =
          post("/orders", body, Map.of("idempotency-key", "k-" + java.util.UUID.randomUUID()));
      if (placed.status() != 201) {
        throw new IllegalStateException("the order answered " + placed.status());
      }
      return placed.json();
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A privacy request of the type for the address, verified with the emailed code: answers {@code
   * {requestId, requestToken}}. It may still be in progress (see {@link #awaitCompleted}).
   */
  public String[] verifiedRequest(String type, String email) {
    String requestId =
        post("/privacy/requests", Map.of("type", type, "email", email), Map.of())
            .json()
            .path("requestId")
            .asText();
    Response verified =
        post(
            "/privacy/requests/" + requestId + "/verify",
            Map.of("code", codeFor(email, requestId)),
            Map.of());
    if (verified.status() != 200) {
      throw new IllegalStateException("verification answered " + verified.status());
    }
    return new String[] {requestId, verified.json().path("requestToken").asText()};
  }

  /**
   * The record of a privacy request once it has completed: erasures and exports are done by workers
   * off the request path, so a test waits for them here.
   */
  public JsonNode awaitCompleted(String requestId, String requestToken) {
    Map<String, String> bearer = Map.of("authorization", "Bearer " + requestToken);
    for (int i = 0; i < 600; i++) {
      JsonNode status = get("/privacy/requests/" + requestId, bearer).json();
      if ("COMPLETED".equals(status.path("status").asText())) {
        return status;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("request " + requestId + " did not complete");
  }

  /** The export of an access request (its first page), once the export worker has prepared it. */
  public Response export(String requestId, String requestToken) {
    awaitCompleted(requestId, requestToken);
    return get(
        "/privacy/requests/" + requestId + "/export",
        Map.of("authorization", "Bearer " + requestToken));
  }

  /** The verification code emailed for a privacy request. */
  public String codeFor(String email, String requestId) {
    java.util.regex.Matcher m = CODE.matcher(awaitEmail(email, requestId));
    if (!m.find()) {
      throw new IllegalStateException("the email about " + requestId + " carries no code");
    }
    return m.group(1);
  }

  /**
   * The headers of an account signed in just now ({@code auth_time} is now, as a recent login is
   * what an erasure from the account needs), with a token the local identity provider mints.
   */
  public Map<String, String> signIn(String sub, String email) {
    String token =
        post(
                "/_local/token",
                Map.of(
                    "sub",
                    sub,
                    "email",
                    email,
                    "email_verified",
                    "true",
                    "auth_time",
                    java.time.Instant.now().getEpochSecond()),
                Map.of())
            .json()
            .path("token")
            .asText();
    return Map.of("authorization", "Bearer " + token);
  }

  private static final java.util.regex.Pattern CODE =
      java.util.regex.Pattern.compile("Your code is ([0-9]{6})");
}
