package dev.custodian.local.gateway;

import static dev.custodian.local.gateway.Exchanges.json;
import static dev.custodian.local.gateway.Exchanges.readBody;
import static dev.custodian.local.gateway.Exchanges.write;
import static dev.custodian.local.gateway.Exchanges.writeFunctionResponse;
import static dev.custodian.local.gateway.HttpApiEvent.decodePath;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local API Gateway (HTTP API, payload format 2.0): matches each request to a route of the
 * template, applies the route's authorisation, invokes the function with a faithful event and
 * writes its response back.
 */
public final class Gateway implements AutoCloseable {

  /** Requests the gateway answers itself, outside the template: the /_local helpers. */
  public interface LocalRoutes {
    /** The answer to a /_local request: status and JSON body. */
    Answer handle(String method, String path, byte[] body) throws IOException;
  }

  public record Answer(int status, Object body) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final RouteTable routes = new RouteTable();
  private final Authorizers authorizers;
  private final LocalRoutes local;
  private final HttpApi.Cors cors;
  private final StaticSite site;

  /**
   * Who may call an IAM-authorized route: the principal ARN for a SigV4 access key that may invoke
   * the route ({@code execute-api:Invoke}), empty for one that may not.
   */
  public interface Invokers {
    Optional<String> principal(String accessKey, String method, String path);
  }

  public Gateway(
      int port,
      LocalJwt jwt,
      LocalRoutes local,
      HttpApi.Cors cors,
      Invokers invokers,
      StaticSite site)
      throws IOException {
    this.site = site;
    this.authorizers = new Authorizers(jwt, invokers);
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
    routes.bind(route, host);
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
      Optional<RouteTable.Matched> matched = routes.match(method, decodePath(rawPath));
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
          && (routes.match("GET", decodePath(rawPath)).isEmpty() || navigation)) {
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

  private void forward(
      HttpExchange exchange,
      RouteTable.Matched matched,
      byte[] body,
      Map<String, String> corsHeaders)
      throws IOException {
    FunctionSpec.HttpRoute route = matched.binding().route();
    Authorizers.Outcome authorized = authorizers.authorize(route, exchange);
    if (authorized.refused()) {
      Map<String, String> headers = new LinkedHashMap<>(corsHeaders);
      if (authorized.refusal() == 401) {
        headers.put("www-authenticate", "Bearer");
      }
      String message = authorized.refusal() == 401 ? "Unauthorized" : "Forbidden";
      write(exchange, authorized.refusal(), headers, json(Map.of("message", message)));
      return;
    }
    String requestId = HttpApiEvent.requestId();
    String event =
        HttpApiEvent.of(
                exchange,
                route,
                matched.pathParameters(),
                body,
                authorized.context(),
                requestId,
                port())
            .toString();
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

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
