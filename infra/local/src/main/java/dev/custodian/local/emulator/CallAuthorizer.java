package dev.custodian.local.emulator;

import com.sun.net.httpserver.HttpExchange;
import dev.custodian.local.iam.IamGate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy's IAM check of a function's call, before the emulator sees it (see
 * docs/local-cloud.md): the {@link IamGate} decides, and a denied call is answered with the
 * service's own AccessDenied error. A call the emulator could read otherwise than the gate does is
 * refused outright.
 */
final class CallAuthorizer {

  private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");

  private final IamGate gate;

  CallAuthorizer(IamGate gate) {
    this.gate = gate;
  }

  /** Authorizes the call; when it is denied, answers as the service would and returns true. */
  boolean denied(HttpExchange exchange, byte[] body) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Matcher key = ACCESS_KEY.matcher(String.valueOf(authorization));
    String accessKey = key.find() ? key.group(1) : null;
    List<String> targets = exchange.getRequestHeaders().get("X-Amz-Target");
    String target = targets == null || targets.isEmpty() ? null : targets.get(0);
    String path = exchange.getRequestURI().getPath();
    String shape = unauthorizableShape(targets, path, exchange.getRequestURI().getRawQuery());
    if (shape == null && target != null) {
      Matcher scope = SCOPE.matcher(String.valueOf(authorization));
      String service = scope.find() ? scope.group(1) : "";
      if (!service.equals(signingName(target))) {
        shape = "it is signed for service '" + service + "' but names " + target;
      }
    }
    Optional<IamGate.Denial> denial =
        shape != null
            ? gate.refuse(accessKey, target == null ? path : target, shape)
            : gate.check(accessKey, target, exchange.getRequestMethod(), path, body);
    if (denial.isEmpty()) {
      return false;
    }
    String message = denial.get().message(gate.account()).replaceAll("[\"\\\\\\p{Cntrl}]", "'");
    String prefix = target == null ? "" : target.substring(0, Math.max(0, target.indexOf('.')));
    int status = 400;
    String contentType = "application/x-amz-json-1.0";
    String json;
    if (prefix.startsWith("DynamoDB")) {
      json = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#AccessDeniedException\"";
    } else if (prefix.equals("TrentService")) {
      contentType = "application/x-amz-json-1.1";
      json = "{\"__type\":\"AccessDeniedException\"";
    } else if (prefix.startsWith("AmazonSQS")) {
      // SQS speaks JSON but keeps its query-protocol error codes in this header.
      exchange.getResponseHeaders().set("x-amzn-query-error", "AccessDenied;Sender");
      json = "{\"__type\":\"com.amazonaws.sqs#AccessDenied\"";
    } else {
      status = 403;
      contentType = "application/json";
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "AccessDeniedException");
      json = "{";
    }
    byte[] answer =
        (json + (json.equals("{") ? "" : ",") + "\"message\":\"" + message + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
    return true;
  }

  /**
   * Why the emulator could act otherwise than the gate reads the call (null when it cannot): the
   * emulator takes an action from a query string, a service from the path, the last of repeated
   * targets, and answers its own API under {@code /moto-api}.
   */
  private static String unauthorizableShape(List<String> targets, String path, String query) {
    if (path.startsWith("/moto-api") || path.startsWith("/_")) {
      return "the emulator's own API is not part of AWS";
    }
    if (targets != null && targets.size() > 1) {
      return "the call names " + targets.size() + " targets";
    }
    if (targets != null && (query != null || !path.equals("/"))) {
      return "a targeted call takes no path or query string";
    }
    return null;
  }

  /** The SigV4 signing name of a target's service. */
  private static String signingName(String target) {
    if (target.startsWith("DynamoDB")) {
      return "dynamodb";
    }
    if (target.startsWith("TrentService.")) {
      return "kms";
    }
    if (target.startsWith("AmazonSQS.")) {
      return "sqs";
    }
    return "?";
  }
}
