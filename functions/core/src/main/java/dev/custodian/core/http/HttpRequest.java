package dev.custodian.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A read-only view of an API Gateway HTTP API (payload 2.0) request. */
public final class HttpRequest {

  private final APIGatewayV2HTTPEvent event;

  public HttpRequest(APIGatewayV2HTTPEvent event) {
    this.event = event;
  }

  public APIGatewayV2HTTPEvent event() {
    return event;
  }

  public String routeKey() {
    return event.getRouteKey() == null ? "" : event.getRouteKey();
  }

  /** A header by name, whatever its case (API Gateway lower-cases them; tests may not). */
  public Optional<String> header(String name) {
    Map<String, String> headers = event.getHeaders();
    if (headers == null) {
      return Optional.empty();
    }
    String exact = headers.get(name.toLowerCase(Locale.ROOT));
    if (exact != null) {
      return Optional.of(exact);
    }
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  public Optional<String> pathParameter(String name) {
    Map<String, String> params = event.getPathParameters();
    return params == null ? Optional.empty() : Optional.ofNullable(params.get(name));
  }

  public Optional<String> queryParameter(String name) {
    Map<String, String> params = event.getQueryStringParameters();
    return params == null ? Optional.empty() : Optional.ofNullable(params.get(name));
  }

  /** The raw body bytes (API Gateway base64-encodes bodies it considers binary). */
  public byte[] bodyBytes() {
    String body = event.getBody();
    if (body == null) {
      return new byte[0];
    }
    return event.getIsBase64Encoded()
        ? Base64.getDecoder().decode(body)
        : body.getBytes(StandardCharsets.UTF_8);
  }

  /** The verified claims of an account token (routes with the JWT authorizer). */
  public Optional<Map<String, String>> jwtClaims() {
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    if (context == null
        || context.getAuthorizer() == null
        || context.getAuthorizer().getJwt() == null
        || context.getAuthorizer().getJwt().getClaims() == null) {
      return Optional.empty();
    }
    return Optional.of(context.getAuthorizer().getJwt().getClaims());
  }

  /** The IAM principal ARN of a signed operator call (routes with IAM auth). */
  public Optional<String> iamPrincipal() {
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    if (context == null
        || context.getAuthorizer() == null
        || context.getAuthorizer().getIam() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(context.getAuthorizer().getIam().getUserArn())
        .filter(arn -> !arn.isBlank());
  }

  /**
   * The IAM principal of an operator route's caller. API Gateway only lets signed calls through; a
   * handler refuses anything else all the same (403).
   */
  public String operator() {
    return iamPrincipal()
        .orElseThrow(() -> new ApiException(ErrorCode.FORBIDDEN, "Operator routes need IAM."));
  }

  /** The bearer token of the Authorization header, if there is one. */
  public Optional<String> bearerToken() {
    return header("authorization")
        .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(value -> value.substring(7).trim())
        .filter(token -> !token.isEmpty());
  }

  public String requestId() {
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    return context == null || context.getRequestId() == null ? "" : context.getRequestId();
  }
}
