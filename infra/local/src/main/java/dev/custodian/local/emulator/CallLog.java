package dev.custodian.local.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the proxy saw: how many calls each function made to each service and operation (from the
 * {@code fn/NAME} the functions put in their user agent), how long the emulator took to answer
 * them, and in which order they came.
 */
final class CallLog {

  private static final Pattern FUNCTION = Pattern.compile("fn/([A-Za-z0-9_.-]+)");

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, List<Double>> upstreamMillis = new ConcurrentHashMap<>();
  private final Map<String, List<Double>> spanMillis = new ConcurrentHashMap<>();
  private final List<String> sequence = Collections.synchronizedList(new ArrayList<>());

  /** Adds how long the emulator took to answer a call with this key. */
  void timed(String key, double millis) {
    add(upstreamMillis, key, millis);
  }

  /**
   * Adds how long the call was in the proxy, from its request read to its answer written: the
   * emulator's time plus the local IAM check and the forwarding.
   */
  void spanned(String key, double millis) {
    add(spanMillis, key, millis);
  }

  private static void add(Map<String, List<Double>> times, String key, double millis) {
    times.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(millis);
  }

  /** Calls a function made to a service ({@code dynamodb}, {@code kms}, ...) since the reset. */
  int count(String function, String service) {
    String prefix = function + "|" + service + "|";
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** The same, by operation: {@code PutItem=3, Query=1}. */
  String operations(String function, String service) {
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
  double[] upstreamMillis(String function, String service, String operation) {
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
  double[] upstreamTotal(String function) {
    return total(upstreamMillis, function);
  }

  /**
   * How long every call a function made since the reset was in the proxy, in all, and how many
   * calls that was: {@code {millis, calls}}.
   */
  double[] spanTotal(String function) {
    return total(spanMillis, function);
  }

  private static double[] total(Map<String, List<Double>> times, String function) {
    String prefix = function + "|";
    double millis = 0;
    int calls = 0;
    for (Map.Entry<String, List<Double>> entry : times.entrySet()) {
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
  List<String> sequence(String function) {
    String prefix = function + "|";
    synchronized (sequence) {
      return sequence.stream()
          .filter(k -> k.startsWith(prefix))
          .map(k -> k.substring(prefix.length()))
          .toList();
    }
  }

  void reset() {
    counts.clear();
    upstreamMillis.clear();
    spanMillis.clear();
    sequence.clear();
  }

  /** Counts the call and returns its key, {@code function|service|operation}. */
  String record(HttpExchange exchange) {
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
}
