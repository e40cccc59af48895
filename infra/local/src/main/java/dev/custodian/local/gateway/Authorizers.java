package dev.custodian.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.runtime.FunctionSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's authorization as API Gateway applies it before the function runs: a JWT authorizer
 * verifies the bearer token (401 without a valid one), an IAM route the SigV4 signer's permission
 * to invoke it (403 without); what passes becomes the event's {@code authorizer} context.
 */
final class Authorizers {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=([A-Za-z0-9]+(?:\\.[A-Za-z0-9-]+)?)/");

  /**
   * What authorization made of a request.
   *
   * @param refusal the status to answer with instead of invoking (401 or 403), or 0
   * @param context the event's authorizer context (null for a public route)
   */
  record Outcome(int refusal, ObjectNode context) {
    boolean refused() {
      return refusal != 0;
    }
  }

  private final LocalJwt jwt;
  private final Gateway.Invokers invokers;

  Authorizers(LocalJwt jwt, Gateway.Invokers invokers) {
    this.jwt = jwt;
    this.invokers = invokers;
  }

  Outcome authorize(FunctionSpec.HttpRoute route, HttpExchange exchange) {
    Headers requestHeaders = exchange.getRequestHeaders();
    switch (route.auth().kind()) {
      case JWT -> {
        String value = requestHeaders.getFirst(route.auth().identityHeader());
        Optional<Map<String, String>> claims =
            value != null && value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? jwt.verify(
                    value.substring(7).trim(), route.auth().issuer(), route.auth().audience())
                : Optional.empty();
        if (claims.isEmpty()) {
          return new Outcome(401, null);
        }
        ObjectNode authorizer = JSON.createObjectNode();
        ObjectNode jwtNode = authorizer.putObject("jwt");
        jwtNode.set("claims", JSON.valueToTree(claims.get()));
        jwtNode.putNull("scopes");
        return new Outcome(0, authorizer);
      }
      case IAM -> {
        Optional<String> accessKey = sigV4AccessKey(requestHeaders.getFirst("Authorization"));
        Optional<String> principal =
            accessKey.flatMap(
                key ->
                    invokers.principal(
                        key,
                        exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                        exchange.getRequestURI().getRawPath()));
        if (principal.isEmpty()) {
          return new Outcome(403, null);
        }
        ObjectNode authorizer = JSON.createObjectNode();
        ObjectNode iam = authorizer.putObject("iam");
        iam.put("accessKey", accessKey.get());
        iam.put("accountId", Emulator.ACCOUNT_ID);
        iam.put("callerId", accessKey.get());
        iam.putNull("cognitoIdentity");
        iam.putNull("principalOrgId");
        iam.put("userArn", principal.get());
        iam.put("userId", accessKey.get());
        return new Outcome(0, authorizer);
      }
      default -> {
        return new Outcome(0, null); // a public route
      }
    }
  }

  private static Optional<String> sigV4AccessKey(String authorization) {
    if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      return Optional.empty();
    }
    Matcher m = CREDENTIAL.matcher(authorization);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
