package dev.custodian.core.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import java.io.PrintStream;
import java.time.Instant;

/**
 * Structured JSON logs, one object a line on standard output (which Lambda ships to the function's
 * log group). Messages are constants and values are parameters: callers pass identifiers and
 * counts, never personal data (names, emails, addresses, codes, tokens).
 */
public final class Log {

  private static final ThreadLocal<String[]> REQUEST = new ThreadLocal<>();

  /** Where lines go; null means standard output as it is at each write. */
  private static volatile PrintStream out;

  private Log() {}

  /** Binds the request ids to this thread's log lines until {@link #end()}. */
  public static void begin(String requestId, String invocationId) {
    REQUEST.set(new String[] {requestId, invocationId});
  }

  public static void end() {
    REQUEST.remove();
  }

  /** Sends log lines elsewhere (tests capture them to prove no personal data is written). */
  public static void redirect(PrintStream stream) {
    out = stream;
  }

  public static void info(String message, Object... keyValues) {
    write("INFO", message, null, keyValues);
  }

  public static void warn(String message, Object... keyValues) {
    write("WARN", message, null, keyValues);
  }

  /** An unexpected failure: logs its type and stack frames but not its message. */
  public static void failure(String message, Throwable error, Object... keyValues) {
    write("ERROR", message, error, keyValues);
  }

  /**
   * A line whose fields are given as a JSON object (after the usual ones): the embedded metric
   * format's lines ({@link Metrics}) go out here, to the same stream as every other line.
   */
  static void structured(String message, ObjectNode fields) {
    ObjectNode line = start("INFO", message);
    line.setAll(fields);
    print(line);
  }

  private static ObjectNode start(String level, String message) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("timestamp", Instant.now().toString());
    line.put("level", level);
    line.put("message", message);
    String[] request = REQUEST.get();
    if (request != null) {
      if (request[0] != null && !request[0].isEmpty()) {
        line.put("requestId", request[0]);
      }
      if (request[1] != null) {
        line.put("invocationId", request[1]);
      }
    }
    return line;
  }

  private static void write(String level, String message, Throwable error, Object... keyValues) {
    ObjectNode line = start(level, message);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      String key = String.valueOf(keyValues[i]);
      // the usual values directly: a tree of any other goes through a serializer
      Object value = keyValues[i + 1];
      if (value instanceof String text) {
        line.put(key, text);
      } else if (value instanceof Integer number) {
        line.put(key, number);
      } else if (value instanceof Long number) {
        line.put(key, number);
      } else if (value instanceof Boolean flag) {
        line.put(key, flag);
      } else {
        line.set(key, Json.tree(value));
      }
    }
    if (error != null) {
      line.put("errorType", error.getClass().getName());
      StringBuilder frames = new StringBuilder();
      for (Throwable t = error; t != null; t = t.getCause()) {
        if (t != error) {
          frames.append("caused by ").append(t.getClass().getName()).append('\n');
        }
        StackTraceElement[] trace = t.getStackTrace();
        for (int f = 0; f < Math.min(trace.length, 12); f++) {
          frames.append("  at ").append(trace[f]).append('\n');
        }
      }
      line.put("frames", frames.toString());
    }
    print(line);
  }

  private static void print(ObjectNode line) {
    PrintStream target = out;
    (target != null ? target : System.out).println(line);
  }
}
