package dev.custodian.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.runtime.FunctionSpec;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The event API Gateway's HTTP API gives a function (payload format 2.0), made from a request as
 * the gateway received it: headers joined, cookies apart, query parameters decoded, a text body as
 * text and anything else in Base64.
 */
final class HttpApiEvent {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

  private HttpApiEvent() {}

  static ObjectNode of(
      HttpExchange exchange,
      FunctionSpec.HttpRoute route,
      Map<String, String> pathParameters,
      byte[] body,
      ObjectNode authorizer,
      String requestId,
      int port) {
    String rawPath = exchange.getRequestURI().getRawPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", route.routeKey());
    event.put("rawPath", rawPath);
    event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
    ObjectNode headers = event.putObject("headers");
    ArrayNode cookies = null;
    String userAgent = "";
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("cookie")) {
        cookies = event.putArray("cookies");
        for (String value : header.getValue()) {
          for (String cookie : value.split(";\\s*")) {
            cookies.add(cookie);
          }
        }
        continue;
      }
      String joined = String.join(",", header.getValue());
      headers.put(name, joined);
      if (name.equals("user-agent")) {
        userAgent = joined;
      }
    }
    headers.put("x-forwarded-for", exchange.getRemoteAddress().getAddress().getHostAddress());
    headers.put("x-forwarded-proto", "http");
    headers.put("x-forwarded-port", String.valueOf(port));
    if (rawQuery != null && !rawQuery.isEmpty()) {
      ObjectNode query = event.putObject("queryStringParameters");
      Map<String, String> joined = new LinkedHashMap<>();
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        joined.merge(name, value, (a, b) -> a + "," + b);
      }
      joined.forEach(query::put);
    }
    if (!pathParameters.isEmpty()) {
      ObjectNode parameters = event.putObject("pathParameters");
      pathParameters.forEach(parameters::put);
    }
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", Emulator.ACCOUNT_ID);
    context.put("apiId", "local");
    context.put("domainName", "127.0.0.1:" + port);
    context.put("domainPrefix", "127");
    ObjectNode http = context.putObject("http");
    http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
    http.put("path", decodePath(rawPath));
    http.put("protocol", exchange.getProtocol());
    http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
    http.put("userAgent", userAgent);
    context.put("requestId", requestId);
    context.put("routeKey", route.routeKey());
    context.put("stage", "$default");
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    context.put("time", REQUEST_TIME.format(now));
    context.put("timeEpoch", now.toInstant().toEpochMilli());
    if (authorizer != null) {
      context.set("authorizer", authorizer);
    }
    if (body.length > 0) {
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      Optional<String> text = isText(contentType) ? utf8(body) : Optional.empty();
      event.put("body", text.orElseGet(() -> Base64.getEncoder().encodeToString(body)));
      event.put("isBase64Encoded", text.isEmpty());
    } else {
      event.put("isBase64Encoded", false);
    }
    return event;
  }

  private static boolean isText(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.contains("json")
        || type.contains("xml")
        || type.contains("javascript")
        || type.startsWith("application/x-www-form-urlencoded");
  }

  private static Optional<String> utf8(byte[] body) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  static String requestId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "=";
  }

  static String decodePath(String rawPath) {
    return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }
}
