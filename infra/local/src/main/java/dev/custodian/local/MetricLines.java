package dev.custodian.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The embedded-metric-format lines the functions log while something runs: the functions run in
 * this process and log to its standard output, which is captured meanwhile (and still printed), so
 * a test can read the metrics CloudWatch would make of a function's log group.
 */
public final class MetricLines {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long AWAIT_MILLIS = 10_000;

  private MetricLines() {}

  /** What {@code action} answered, and the metric lines logged meanwhile naming {@code metric}. */
  public record Captured<T>(T answer, List<JsonNode> lines) {}

  /** The lines logged while {@code action} runs, for an action that logs before it returns. */
  public static <T> Captured<T> during(String metric, Callable<T> action) throws Exception {
    return capture(metric, 0, action);
  }

  /**
   * The lines logged while {@code action} runs and after, until {@code expected} lines naming
   * {@code metric} have been logged or ten seconds have passed: for an action that waits on work
   * elsewhere (a worker that records its result before it logs its metrics).
   */
  public static <T> Captured<T> awaiting(String metric, int expected, Callable<T> action)
      throws Exception {
    return capture(metric, expected, action);
  }

  private static synchronized <T> Captured<T> capture(
      String metric, int expected, Callable<T> action) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream console = System.out;
    Tee tee = new Tee(console, captured);
    T answer;
    List<JsonNode> lines;
    System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
    try {
      answer = action.call();
      long deadline = System.currentTimeMillis() + AWAIT_MILLIS;
      lines = linesIn(tee, captured, metric);
      while (lines.size() < expected && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
        lines = linesIn(tee, captured, metric);
      }
    } finally {
      System.out.flush();
      System.setOut(console);
    }
    return new Captured<>(answer, linesIn(tee, captured, metric));
  }

  private static List<JsonNode> linesIn(Tee tee, ByteArrayOutputStream captured, String metric)
      throws Exception {
    String text;
    synchronized (tee) {
      text = captured.toString(StandardCharsets.UTF_8);
    }
    // only whole lines: the last one may still be being written
    text = text.substring(0, text.lastIndexOf('\n') + 1);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("{") || !line.contains("\"_aws\"")) {
        continue;
      }
      JsonNode json = JSON.readTree(line);
      if (json.has(metric)) {
        lines.add(json);
      }
    }
    return lines;
  }
}
