package dev.custodian.local.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.custodian.local.iam.IamGate;
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
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Sits between the functions and the emulator: counts and times AWS calls by function (from the
 * {@code fn/NAME} the functions put in their user agent), service and operation, and can fail a
 * share of chosen calls — before they reach the emulator (throttled: nothing happened) or after
 * (the call took effect but its answer is lost) — as a real network and a real service do.
 * Measuring and breaking from outside means nothing in the functions is changed to be tested.
 */
public final class EmulatorProxy implements AutoCloseable {

  private static final Set<String> HOP_BY_HOP =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private final URI target;
  private final CallAuthorizer authorizer;
  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final CallLog calls = new CallLog();
  private final FaultInjector faults = new FaultInjector();
  private volatile Observer observer;

  /**
   * Which calls fail and how often: {@code target} matches "function|service|operation" keys; a
   * matching call fails with probability {@code rate}, half of them before the emulator sees it
   * (DynamoDB's throttling error) and half after (the effect stays, a 500 answers).
   */
  public record Faults(Predicate<String> target, double rate, long seed) {}

  /** Starts failing calls as described (null stops it). */
  public void inject(Faults value) {
    faults.inject(value);
  }

  /**
   * Fails the {@code n}th call matching {@code target} (from now, counting from 1) with an error
   * the SDK does not retry, as if the function had crashed at that step: before the emulator sees
   * the call, or after it took effect ({@code afterEffect}).
   */
  public void failNth(Predicate<String> target, int n, boolean afterEffect) {
    faults.failNth(target, n, afterEffect);
  }

  /** Whether the call set with {@link #failNth} has been failed. */
  public boolean nthFailed() {
    return faults.nthFailed();
  }

  /** How many calls were failed so far. */
  public int injected() {
    return faults.injected();
  }

  public EmulatorProxy(URI target) throws IOException {
    this(target, null);
  }

  /**
   * A proxy that also authorizes every call with {@code gate} (null: none) before anything else, as
   * AWS does before a call reaches the service.
   */
  public EmulatorProxy(URI target, IamGate gate) throws IOException {
    this.target = target;
    this.authorizer = gate == null ? null : new CallAuthorizer(gate);
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

  /** Sets (or, with null, removes) the observer of forwarded calls. */
  public void observe(Observer value) {
    observer = value;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Calls a function made to a service ({@code dynamodb}, {@code kms}, ...) since the reset. */
  public int count(String function, String service) {
    return calls.count(function, service);
  }

  /** The same, by operation: {@code PutItem=3, Query=1}. */
  public String operations(String function, String service) {
    return calls.operations(function, service);
  }

  /**
   * How long the emulator took to answer each call of one operation by a function (the time from
   * forwarding to the answer, so without the function's own work): what the call itself costs.
   */
  public double[] upstreamMillis(String function, String service, String operation) {
    return calls.upstreamMillis(function, service, operation);
  }

  /**
   * How long the emulator took, in all, to answer every call a function made since the reset, and
   * how many calls that was: {@code {millis, calls}}.
   */
  public double[] upstreamTotal(String function) {
    return calls.upstreamTotal(function);
  }

  /**
   * How long every call a function made since the reset was inside the proxy, in all (from its
   * request read to its answer written: the emulator's answer, the local IAM check and the
   * forwarding), and how many calls that was: {@code {millis, calls}}. A function's time minus this
   * is its own work and its HTTP client's.
   */
  public double[] spanTotal(String function) {
    return calls.spanTotal(function);
  }

  /**
   * The calls a function made since the reset, in the order the proxy saw them, as {@code
   * service|operation}: what two flows that must look alike from outside are compared by.
   */
  public List<String> sequence(String function) {
    return calls.sequence(function);
  }

  public void reset() {
    calls.reset();
  }

  private void forward(HttpExchange exchange) throws IOException {
    long entered = System.nanoTime();
    String key = null;
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (authorizer != null && authorizer.denied(exchange, body)) {
        return;
      }
      key = calls.record(exchange);
      FaultInjector.Fault fault = faults.fault(key);
      if (fault == FaultInjector.Fault.BEFORE) {
        FaultInjector.answerFault(exchange, 400, "ProvisionedThroughputExceededException");
        return;
      }
      if (fault == FaultInjector.Fault.CRASH_BEFORE) {
        FaultInjector.answerFault(exchange, 400, "ValidationException");
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
        calls.timed(key, (System.nanoTime() - start) / 1e6);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      if (fault == FaultInjector.Fault.AFTER) {
        FaultInjector.answerFault(exchange, 500, "InternalServerError");
        return;
      }
      if (fault == FaultInjector.Fault.CRASH_AFTER) {
        FaultInjector.answerFault(exchange, 400, "ValidationException");
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
    } finally {
      if (key != null) {
        calls.spanned(key, (System.nanoTime() - entered) / 1e6);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
