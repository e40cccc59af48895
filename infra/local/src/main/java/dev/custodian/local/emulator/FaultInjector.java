package dev.custodian.local.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The failures the proxy adds to calls, as a real network and a real service cause them: a share of
 * chosen calls ({@link EmulatorProxy.Faults}), or the nth of them as a crash.
 */
final class FaultInjector {

  /** What happens to one call. */
  enum Fault {
    NONE,
    BEFORE,
    AFTER,
    CRASH_BEFORE,
    CRASH_AFTER
  }

  private volatile EmulatorProxy.Faults faults;
  private final AtomicInteger injected = new AtomicInteger();

  /** Starts failing calls as described (null stops it). */
  synchronized void inject(EmulatorProxy.Faults value) {
    this.random = value == null ? null : new Random(value.seed());
    this.faults = value;
  }

  private volatile Predicate<String> nthTarget;
  private final AtomicInteger nthLeft = new AtomicInteger();
  private volatile boolean nthAfter;

  /**
   * Fails the {@code n}th call matching {@code target} (from now, counting from 1) with an error
   * the SDK does not retry, as if the function had crashed at that step: before the emulator sees
   * the call, or after it took effect ({@code afterEffect}).
   */
  synchronized void failNth(Predicate<String> target, int n, boolean afterEffect) {
    this.nthAfter = afterEffect;
    this.nthLeft.set(n);
    this.nthTarget = target;
  }

  /** Whether the call set with {@link #failNth} has been failed. */
  boolean nthFailed() {
    return nthTarget != null && nthLeft.get() <= 0;
  }

  /** How many calls were failed so far. */
  int injected() {
    return injected.get();
  }

  private Random random;

  /** What happens to the call with this key ({@code function|service|operation}). */
  synchronized Fault fault(String key) {
    Predicate<String> nth = nthTarget;
    if (nth != null && nthLeft.get() > 0 && nth.test(key) && nthLeft.decrementAndGet() == 0) {
      injected.incrementAndGet();
      return nthAfter ? Fault.CRASH_AFTER : Fault.CRASH_BEFORE;
    }
    EmulatorProxy.Faults f = faults;
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

  /** Answers as DynamoDB does with an error of this type. */
  static void answerFault(HttpExchange exchange, int status, String type) throws IOException {
    byte[] body =
        ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"injected\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
