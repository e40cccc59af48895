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
}
