package dev.custodian.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local API Gateway (HTTP API, payload format 2.0): matches each request to a route of the
 * template, applies the route's authorisation, invokes the function with a faithful event and
 * writes its response back.
 */
public final class Gateway implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 10 * 1024 * 1024;
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

  /** Requests the gateway answers itself, outside the template: the /_local helpers. */
  public interface LocalRoutes {
    /** The answer to a /_local request: status and JSON body. */
    Answer handle(String method, String path, byte[] body) throws IOException;
  }

  public record Answer(int status, Object body) {}

  private record Binding(
      FunctionSpec.HttpRoute route, FunctionHost host, Pattern pattern, List<String> names) {

    /** API Gateway prefers literal segments over variables, and variables over greedy ones. */
    int specificity() {
      if (route.path().equals("$default")) {
        return Integer.MIN_VALUE;
      }
      int score = 0;
      for (String segment : route.path().split("/")) {
        if (segment.endsWith("+}")) {
          score -= 1000;
        } else if (segment.startsWith("{")) {
          score += 1;
        } else if (!segment.isEmpty()) {
          score += 100;
        }
      }
      return score;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Binding> bindings = new ArrayList<>();
  private final LocalJwt jwt;
  private final LocalRoutes local;
  private final Cors cors;
  private final StaticSite site;

  /** CORS as the HTTP API's CorsConfiguration sets it (null when off). */
  public record Cors(List<String> origins, List<String> methods, List<String> headers, int maxAge) {
    boolean allows(String origin) {
      return origins.contains("*") || origins.contains(origin);
    }
  }

  /**
   * Who may call an IAM-authorized route: the principal ARN for a SigV4 access key that may invoke
   * the route ({@code execute-api:Invoke}), empty for one that may not.
   */
  public interface Invokers {
    Optional<String> principal(String accessKey, String method, String path);
  }

  private final Invokers invokers;

  public Gateway(
      int port, LocalJwt jwt, LocalRoutes local, Cors cors, Invokers invokers, StaticSite site)
      throws IOException {
    this.invokers = invokers;
    this.site = site;
    this.jwt = jwt;
    this.local = local;
    this.cors = cors;
    // Without this the JDK server waits on Nagle's algorithm, adding ~40 ms to small answers.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    this.executor =
        Executors.newFixedThreadPool(
            32,
            r -> {
              Thread t = new Thread(r, "gateway");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
  }

  public void bind(FunctionSpec.HttpRoute route, FunctionHost host) {
    List<String> names = new ArrayList<>();
    StringBuilder regex = new StringBuilder("^");
    if (route.path().equals("$default")) {
      regex.append(".*");
    } else {
      Matcher variables = Pattern.compile("\\{([^}]+)}").matcher(route.path());
      int last = 0;
      while (variables.find()) {
        regex.append(Pattern.quote(route.path().substring(last, variables.start())));
        String name = variables.group(1);
        if (name.endsWith("+")) {
          names.add(name.substring(0, name.length() - 1));
          regex.append("(.+)");
        } else {
          names.add(name);
          regex.append("([^/]+)");
        }
        last = variables.end();
      }
      regex.append(Pattern.quote(route.path().substring(last)));
    }
    regex.append("$");
    bindings.add(new Binding(route, host, Pattern.compile(regex.toString()), names));
    bindings.sort(Comparator.comparingInt(Binding::specificity).reversed());
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) {
    try (exchange) {
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        write(exchange, 413, Map.of(), json(Map.of("message", "Request Entity Too Large")));
        return;
      }
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String rawPath = exchange.getRequestURI().getRawPath();
      if (rawPath.startsWith("/_local/")) {
        Answer answer = local.handle(method, rawPath, body);
        write(exchange, answer.status(), Map.of(), json(answer.body()));
        return;
      }
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      if (cors != null
          && method.equals("OPTIONS")
          && origin != null
          && exchange.getRequestHeaders().containsKey("Access-Control-Request-Method")) {
        preflight(exchange, origin);
        return;
      }
      Map<String, String> corsHeaders = new LinkedHashMap<>();
      if (cors != null && origin != null && cors.allows(origin)) {
        corsHeaders.put("access-control-allow-origin", cors.origins().contains("*") ? "*" : origin);
        corsHeaders.put("vary", "Origin");
      }
      Optional<Matched> matched = match(method, decodePath(rawPath));
      boolean navigation =
          "navigate".equals(exchange.getRequestHeaders().getFirst("Sec-Fetch-Mode"));
      boolean split = site != null && StaticSite.isOrderPage(decodePath(rawPath));
      if (split) {
        // One path, two answers chosen by Sec-Fetch-Mode: a cache must key on that header.
        corsHeaders.merge("vary", "Sec-Fetch-Mode", (a, b) -> a + ", " + b);
      }
      boolean head = method.equals("HEAD");
      if (site != null
          && (method.equals("GET") || head)
          && (match("GET", decodePath(rawPath)).isEmpty() || navigation)) {
        // A browser's navigation gets the page (e.g. /orders/{orderId}); the API's fetches the API.
        Optional<StaticSite.File> file = site.find(decodePath(rawPath));
        if (file.isPresent()) {
          Map<String, String> headers = new LinkedHashMap<>(file.get().headers());
          if (split) {
            headers.put("vary", "Sec-Fetch-Mode");
          }
          if (head) {
            // HEAD is GET without the body: the same status and headers, and its length.
            headers.put("content-length", String.valueOf(file.get().body().length));
            write(exchange, 200, headers, new byte[0]);
          } else {
            write(exchange, 200, headers, file.get().body());
          }
          return;
        }
      }
      if (matched.isEmpty()) {
        write(exchange, 404, corsHeaders, json(Map.of("message", "Not Found")));
        return;
      }
      forward(exchange, matched.get(), body, corsHeaders);
    } catch (IOException | RuntimeException e) {
      System.err.println("[gateway] request failed: " + e.getClass().getName());
    }
  }

  private record Matched(Binding binding, Map<String, String> pathParameters) {}

  private Optional<Matched> match(String method, String path) {
    for (Binding binding : bindings) {
      String routeMethod = binding.route().method();
      if (!routeMethod.equals("ANY") && !routeMethod.equals(method)) {
        continue;
      }
      Matcher m = binding.pattern().matcher(path);
      if (m.matches()) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < binding.names().size(); i++) {
          parameters.put(binding.names().get(i), m.group(i + 1));
        }
        return Optional.of(new Matched(binding, parameters));
      }
    }
    return Optional.empty();
  }

  private void forward(
      HttpExchange exchange, Matched matched, byte[] body, Map<String, String> corsHeaders)
      throws IOException {
    FunctionSpec.HttpRoute route = matched.binding().route();
    Headers requestHeaders = exchange.getRequestHeaders();
    ObjectNode authorizer = null;
    switch (route.auth().kind()) {
      case JWT -> {
        String value = requestHeaders.getFirst(route.auth().identityHeader());
        Optional<Map<String, String>> claims =
            value != null && value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? jwt.verify(
                    value.substring(7).trim(), route.auth().issuer(), route.auth().audience())
                : Optional.empty();
        if (claims.isEmpty()) {
          Map<String, String> headers = new LinkedHashMap<>(corsHeaders);
          headers.put("www-authenticate", "Bearer");
          write(exchange, 401, headers, json(Map.of("message", "Unauthorized")));
          return;
        }
        authorizer = JSON.createObjectNode();
        ObjectNode jwtNode = authorizer.putObject("jwt");
        jwtNode.set("claims", JSON.valueToTree(claims.get()));
        jwtNode.putNull("scopes");
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
          write(exchange, 403, corsHeaders, json(Map.of("message", "Forbidden")));
          return;
        }
        authorizer = JSON.createObjectNode();
        ObjectNode iam = authorizer.putObject("iam");
        iam.put("accessKey", accessKey.get());
        iam.put("accountId", Emulator.ACCOUNT_ID);
        iam.put("callerId", accessKey.get());
        iam.putNull("cognitoIdentity");
        iam.putNull("principalOrgId");
        iam.put("userArn", principal.get());
        iam.put("userId", accessKey.get());
      }
      case NONE -> {
        // public route
      }
    }
    String requestId = requestId();
    String event =
        event(exchange, route, matched.pathParameters(), body, authorizer, requestId).toString();
    String response;
    try {
      response = matched.binding().host().invokeSync(event, requestId);
    } catch (FunctionHost.Throttled e) {
      System.err.println("[gateway] " + route.routeKey() + " throttled: " + e.getMessage());
      Map<String, String> headers = new LinkedHashMap<>(corsHeaders);
      headers.put("apigw-requestid", requestId);
      write(exchange, 503, headers, json(Map.of("message", "Service Unavailable")));
      return;
    } catch (FunctionHost.InvocationFailed e) {
      System.err.println(
          "[gateway] "
              + route.routeKey()
              + " -> "
              + matched.binding().host().spec().logicalId()
              + " failed: "
              + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause().getClass().getName() + ")"));
      Map<String, String> headers = new LinkedHashMap<>(corsHeaders);
      headers.put("apigw-requestid", requestId);
      write(exchange, 500, headers, json(Map.of("message", "Internal Server Error")));
      return;
    }
    writeFunctionResponse(exchange, response, requestId, corsHeaders);
  }

  private ObjectNode event(
      HttpExchange exchange,
      FunctionSpec.HttpRoute route,
      Map<String, String> pathParameters,
      byte[] body,
      ObjectNode authorizer,
      String requestId) {
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
    headers.put("x-forwarded-port", String.valueOf(port()));
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
    context.put("domainName", "127.0.0.1:" + port());
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

  private void writeFunctionResponse(
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

  private void preflight(HttpExchange exchange, String origin) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    if (cors.allows(origin)) {
      headers.put("access-control-allow-origin", cors.origins().contains("*") ? "*" : origin);
      headers.put("access-control-allow-methods", String.join(",", cors.methods()));
      headers.put("access-control-allow-headers", String.join(",", cors.headers()));
      headers.put("access-control-max-age", String.valueOf(cors.maxAge()));
      headers.put("vary", "Origin");
    }
    write(exchange, 204, headers, new byte[0]);
  }

  private static Optional<String> sigV4AccessKey(String authorization) {
    if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
      return Optional.empty();
    }
    Matcher m =
        Pattern.compile("Credential=([A-Za-z0-9]+(?:\\.[A-Za-z0-9-]+)?)/").matcher(authorization);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
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

  private static String requestId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "=";
  }

  private static String decodePath(String rawPath) {
    return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  private static byte[] json(Object body) throws IOException {
    return JSON.writeValueAsBytes(body);
  }

  private static void write(
      HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
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

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
