package dev.custodian.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading requests and writing answers on the gateway's connections, and turning a function's
 * result (payload format 2.0, or API Gateway's inferred format) into the HTTP answer.
 */
final class Exchanges {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 10 * 1024 * 1024;

  private Exchanges() {}

  /** The request body, or null when it is larger than API Gateway accepts. */
  static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  static void writeFunctionResponse(
      HttpExchange exchange, String response, String requestId, Map<String, String> corsHeaders)
      throws IOException {
    JsonNode result;
    try {
      result = JSON.readTree(response);
    } catch (IOException e) {
      result = null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("apigw-requestid", requestId);
    if (result == null || !result.isObject() || !result.has("statusCode")) {
      // API Gateway's inferred format: the whole result is a 200 JSON body.
      headers.put("content-type", "application/json");
      headers.putAll(corsHeaders);
      write(exchange, 200, headers, response.getBytes(StandardCharsets.UTF_8));
      return;
    }
    int status = result.path("statusCode").asInt(500);
    result
        .path("headers")
        .fields()
        .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
    result
        .path("multiValueHeaders")
        .fields()
        .forEachRemaining(
            e -> {
              List<String> values = new ArrayList<>();
              e.getValue().forEach(v -> values.add(v.asText()));
              headers.put(e.getKey(), String.join(",", values));
            });
    headers.putAll(corsHeaders);
    for (JsonNode cookie : result.path("cookies")) {
      exchange.getResponseHeaders().add("Set-Cookie", cookie.asText());
    }
    JsonNode bodyNode = result.path("body");
    byte[] body;
    if (bodyNode.isMissingNode() || bodyNode.isNull()) {
      body = new byte[0];
    } else if (result.path("isBase64Encoded").asBoolean(false)) {
      body = Base64.getDecoder().decode(bodyNode.asText());
    } else {
      body =
          (bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString())
              .getBytes(StandardCharsets.UTF_8);
    }
    write(exchange, status, headers, body);
  }

  static byte[] json(Object body) throws IOException {
    return JSON.writeValueAsBytes(body);
  }

  static void write(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    if (!headers.containsKey("content-type") && body.length > 0) {
      out.set("Content-Type", "application/json");
    }
    headers.forEach(out::set);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(body);
      }
    }
  }
}
