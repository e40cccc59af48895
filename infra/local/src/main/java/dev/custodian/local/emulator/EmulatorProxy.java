package dev.custodian.local.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sits between the functions and the emulator: counts and times AWS calls by function (from the
 * {@code fn/NAME} the functions put in their user agent), service and operation, and can fail a
 * share of chosen calls — before they reach the emulator (throttled: nothing happened) or after
 * (the call took effect but its answer is lost) — as a real network and a real service do.
 * Measuring and breaking from outside means nothing in the functions is changed to be tested.
 */
public final class EmulatorProxy implements AutoCloseable {

  private static final Pattern FUNCTION = Pattern.compile("fn/([A-Za-z0-9_.-]+)");
  private static final Set<String> HOP_BY_HOP =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/,\\s]+)/");
  private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");

  private final URI target;
  private final dev.custodian.local.iam.IamGate gate;
  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, List<Double>> upstreamMillis = new ConcurrentHashMap<>();
  private final List<String> sequence =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private volatile Faults faults;
  private final AtomicInteger injected = new AtomicInteger();

  /**
   * Which calls fail and how often: {@code target} matches "function|service|operation" keys; a
   * matching call fails with probability {@code rate}, half of them before the emulator sees it
   * (DynamoDB's throttling error) and half after (the effect stays, a 500 answers).
   */
  public record Faults(java.util.function.Predicate<String> target, double rate, long seed) {}

  /** Starts failing calls as described (null stops it). */
  public synchronized void inject(Faults value) {
    this.random = value == null ? null : new java.util.Random(value.seed());
    this.faults = value;
  }

  private volatile java.util.function.Predicate<String> nthTarget;
  private final AtomicInteger nthLeft = new AtomicInteger();
  private volatile boolean nthAfter;

  /**
   * Fails the {@code n}th call matching {@code target} (from now, counting from 1) with an error
   * the SDK does not retry, as if the function had crashed at that step: before the emulator sees
   * the call, or after it took effect ({@code afterEffect}).
   */
  public synchronized void failNth(
      java.util.function.Predicate<String> target, int n, boolean afterEffect) {
    this.nthAfter = afterEffect;
    this.nthLeft.set(n);
    this.nthTarget = target;
  }

  /** Whether the call set with {@link #failNth} has been failed. */
  public boolean nthFailed() {
    return nthTarget != null && nthLeft.get() <= 0;
  }

  /** How many calls were failed so far. */
  public int injected() {
    return injected.get();
  }

  private java.util.Random random;

  private enum Fault {
    NONE,
    BEFORE,
    AFTER,
    CRASH_BEFORE,
    CRASH_AFTER
  }

  private synchronized Fault fault(String key) {
    java.util.function.Predicate<String> nth = nthTarget;
    if (nth != null && nthLeft.get() > 0 && nth.test(key) && nthLeft.decrementAndGet() == 0) {
      injected.incrementAndGet();
      return nthAfter ? Fault.CRASH_AFTER : Fault.CRASH_BEFORE;
    }
    Faults f = faults;
    if (f == null || !f.target().test(key)) {
      return Fault.NONE;
    }
    double draw = random.nextDouble();
    if (draw >= f.rate()) {
      return Fault.NONE;
    }
    injected.incrementAndGet();
    return draw < f.rate() / 2 ? Fault.BEFORE : Fault.AFTER;
  }

  private static void answerFault(HttpExchange exchange, int status, String type)
      throws IOException {
    byte[] body =
        ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"injected\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public EmulatorProxy(URI target) throws IOException {
    this(target, null);
  }

  /**
   * A proxy that also authorizes every call with {@code gate} (null: none) before anything else, as
   * AWS does before a call reaches the service.
   */
  public EmulatorProxy(URI target, dev.custodian.local.iam.IamGate gate) throws IOException {
    this.target = target;
    this.gate = gate;
    // Read once by the JDK's server on first use: without it answers wait on Nagle's algorithm.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.setExecutor(Executors.newCachedThreadPool(r -> daemon(r)));
    server.createContext("/", this::forward);
    server.start();
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "emulator-proxy");
    t.setDaemon(true);
    return t;
  }

  /**
   * Sees every call the proxy forwards, with its key ({@code function|service|operation}) and the
   * request and answer bodies: how a load simulation measures what each table receives.
   */
  public interface Observer {
    void call(String key, byte[] request, byte[] answer);
  }

  private volatile Observer observer;

  /** Sets (or, with null, removes) the observer of forwarded calls. */
  public void observe(Observer value) {
    observer = value;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Calls a function made to a service ({@code dynamodb}, {@code kms}, ...) since the reset. */
  public int count(String function, String service) {
    String prefix = function + "|" + service + "|";
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** The same, by operation: {@code PutItem=3, Query=1}. */
  public String operations(String function, String service) {
    String prefix = function + "|" + service + "|";
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && e.getValue().get() > 0)
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey().substring(prefix.length()) + "=" + e.getValue().get())
        .reduce((a, b) -> a + ", " + b)
        .orElse("none");
  }

  /**
   * How long the emulator took to answer each call of one operation by a function (the time from
   * forwarding to the answer, so without the function's own work): what the call itself costs.
   */
  public double[] upstreamMillis(String function, String service, String operation) {
    List<Double> times =
        upstreamMillis.getOrDefault(function + "|" + service + "|" + operation, List.of());
    synchronized (times) {
      return times.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  /**
   * How long the emulator took, in all, to answer every call a function made since the reset, and
   * how many calls that was: {@code {millis, calls}}.
   */
  public double[] upstreamTotal(String function) {
    String prefix = function + "|";
    double millis = 0;
    int calls = 0;
    for (Map.Entry<String, List<Double>> entry : upstreamMillis.entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        synchronized (entry.getValue()) {
          for (double m : entry.getValue()) {
            millis += m;
            calls++;
          }
        }
      }
    }
    return new double[] {millis, calls};
  }

  /**
   * The calls a function made since the reset, in the order the proxy saw them, as {@code
   * service|operation}: what two flows that must look alike from outside are compared by.
   */
  public List<String> sequence(String function) {
    String prefix = function + "|";
    synchronized (sequence) {
      return sequence.stream()
          .filter(k -> k.startsWith(prefix))
          .map(k -> k.substring(prefix.length()))
          .toList();
    }
  }

  public void reset() {
    counts.clear();
    upstreamMillis.clear();
    sequence.clear();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (gate != null && denied(exchange, body)) {
        return;
      }
      String key = count(exchange);
      Fault fault = fault(key);
      if (fault == Fault.BEFORE) {
        answerFault(exchange, 400, "ProvisionedThroughputExceededException");
        return;
      }
      if (fault == Fault.CRASH_BEFORE) {
        answerFault(exchange, 400, "ValidationException");
        return;
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
          for (String value : header.getValue()) {
            request.header(header.getKey(), value);
          }
        }
      }
      HttpResponse<byte[]> response;
      try {
        long start = System.nanoTime();
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        List<Double> times =
            upstreamMillis.computeIfAbsent(
                key, k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()));
        times.add((System.nanoTime() - start) / 1e6);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      if (fault == Fault.AFTER) {
        answerFault(exchange, 500, "InternalServerError");
        return;
      }
      if (fault == Fault.CRASH_AFTER) {
        answerFault(exchange, 400, "ValidationException");
        return;
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] answer = response.body();
      Observer watching = observer;
      if (watching != null) {
        watching.call(key, body, answer);
      }
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  /** Authorizes the call; when it is denied, answers as the service would and returns true. */
  private boolean denied(HttpExchange exchange, byte[] body) throws IOException {
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
    java.util.Optional<dev.custodian.local.iam.IamGate.Denial> denial =
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
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

  private String count(HttpExchange exchange) {
    String agent = String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent"));
    Matcher fn = FUNCTION.matcher(agent);
    String function = fn.find() ? fn.group(1) : "-";
    String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String service;
    String operation;
    if (amzTarget != null && amzTarget.contains(".")) {
      String prefix = amzTarget.substring(0, amzTarget.indexOf('.'));
      operation = amzTarget.substring(amzTarget.indexOf('.') + 1);
      service =
          prefix.startsWith("DynamoDB")
              ? "dynamodb"
              : prefix.equals("TrentService")
                  ? "kms"
                  : prefix.startsWith("AmazonSQS") ? "sqs" : prefix;
    } else {
      service = "rest";
      operation = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    }
    String key = function + "|" + service + "|" + operation;
    counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    if (sequence.size() < 100_000) { // bounded: long benchmark runs never read it
      sequence.add(key);
    }
    return key;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
