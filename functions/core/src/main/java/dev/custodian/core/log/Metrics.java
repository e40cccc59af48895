package dev.custodian.core.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Business metrics in CloudWatch's embedded metric format: one log line (through {@link Log}) with
 * an {@code _aws} block that tells CloudWatch which of the line's fields are metrics, in namespace
 * {@value #NAMESPACE}; CloudWatch makes the metrics from the log group, with no API call and no
 * client library. Dimensions are low-cardinality values from the code (a request type, an outcome):
 * a dimension value must look like a constant ({@code ERASURE}, {@code COMPLETED}), so an id, an
 * email or any client text can never become one.
 */
public final class Metrics {

  public static final String NAMESPACE = "Custodian";

  private static final Pattern NAME = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");
  private static final Pattern CONSTANT = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

  private static volatile Clock clock = Clock.systemUTC();

  private Metrics() {}

  /** One count, with these dimensions (names and constant values; none for an overall count). */
  public static void count(String metric, long value, Map<String, String> dimensions) {
    counts(Map.of(metric, value), dimensions);
  }

  /** Several counts of one event, in one line, each with the same dimensions. */
  public static void counts(Map<String, Long> metrics, Map<String, String> dimensions) {
    Log.structured("metrics", line(metrics, dimensions, clock.millis()));
  }

  /** The fields of an embedded-metric-format line: the {@code _aws} block, dimensions, values. */
  static ObjectNode line(Map<String, Long> metrics, Map<String, String> dimensions, long at) {
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("no metric");
    }
    ObjectNode fields = Json.MAPPER.createObjectNode();
    ObjectNode aws = fields.putObject("_aws");
    aws.put("Timestamp", at);
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
    ArrayNode names = directive.putArray("Metrics");
    Map<String, String> sorted = new LinkedHashMap<>();
    dimensions.keySet().stream().sorted().forEach(k -> sorted.put(k, dimensions.get(k)));
    sorted.forEach(
        (name, value) -> {
          requireName(name);
          if (value == null || !CONSTANT.matcher(value).matches()) {
            throw new IllegalArgumentException("dimension " + name + " must be a constant");
          }
          dimensionSet.add(name);
          fields.put(name, value);
        });
    metrics.keySet().stream()
        .sorted()
        .forEach(
            name -> {
              requireName(name);
              if (sorted.containsKey(name)) {
                throw new IllegalArgumentException("metric " + name + " is also a dimension");
              }
              names.addObject().put("Name", name).put("Unit", "Count");
              fields.put(name, metrics.get(name));
            });
    return fields;
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a metric or dimension name: " + name);
    }
  }

  /** Tests fix the time of the lines. */
  static void useClock(Clock fixed) {
    clock = fixed;
  }
}
