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

  private MetricLines() {}

  /** What {@code action} answered, and the metric lines logged meanwhile naming {@code metric}. */
  public record Captured<T>(T answer, List<JsonNode> lines) {}

  public static synchronized <T> Captured<T> during(String metric, Callable<T> action)
      throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream console = System.out;
    T answer;
    System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
    try {
      answer = action.call();
    } finally {
      System.out.flush();
      System.setOut(console);
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.startsWith("{") || !line.contains("\"_aws\"")) {
        continue;
      }
      JsonNode json = JSON.readTree(line);
      if (json.has(metric)) {
        lines.add(json);
      }
    }
    return new Captured<>(answer, lines);
  }
}
