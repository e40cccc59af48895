package dev.custodian.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a route answers: a status, extra headers and a JSON body (or none). */
public record HttpResponse(int status, Map<String, String> headers, Object body) {

  public HttpResponse {
    headers = Map.copyOf(headers);
  }

  public static HttpResponse json(int status, Object body) {
    return new HttpResponse(status, Map.of(), body);
  }

  public static HttpResponse ok(Object body) {
    return json(200, body);
  }

  public HttpResponse withHeader(String name, String value) {
    Map<String, String> merged = new LinkedHashMap<>(headers);
    merged.put(name, value);
    return new HttpResponse(status, merged, body);
  }

  static HttpResponse error(
      ErrorCode code, String message, List<ApiException.FieldProblem> fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code.wireName());
    body.put("message", message);
    if (!fields.isEmpty()) {
      body.put("fields", fields);
    }
    return json(code.status(), body);
  }

  APIGatewayV2HTTPResponse toEvent() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("content-type", "application/json");
    // Personal data must not linger in shared caches unless a route says otherwise.
    out.put("cache-control", "no-store");
    out.put("x-content-type-options", "nosniff");
    headers.forEach((name, value) -> out.put(name.toLowerCase(java.util.Locale.ROOT), value));
    APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
    response.setStatusCode(status);
    response.setHeaders(out);
    response.setBody(body == null ? null : Json.write(body));
    response.setIsBase64Encoded(false);
    return response;
  }
}
