package dev.custodian.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {

  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
    Metrics.useClock(Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void release() {
    Log.redirect(null);
    Metrics.useClock(Clock.systemUTC());
  }

  private JsonNode line() throws Exception {
    String[] lines = logs.toString(StandardCharsets.UTF_8).trim().split("\n");
    assertThat(lines).hasSize(1);
    return Json.MAPPER.readTree(lines[0]);
  }

  @Test
  void aCount_isOneLogLine_inTheEmbeddedMetricFormat() throws Exception {
    Metrics.count("PrivacyRequests", 1, Map.of("Type", "ERASURE", "Outcome", "COMPLETED"));

    JsonNode line = line();
    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(line.path("_aws").path("Timestamp").asLong())
        .isEqualTo(Instant.parse("2026-12-02T10:00:00Z").toEpochMilli());
    assertThat(directive.path("Namespace").asText()).isEqualTo("Custodian");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Outcome\",\"Type\"]]");
    assertThat(directive.path("Metrics").toString())
        .isEqualTo("[{\"Name\":\"PrivacyRequests\",\"Unit\":\"Count\"}]");
    // CloudWatch reads each dimension and metric from a field of the line's own name
    assertThat(line.path("Type").asText()).isEqualTo("ERASURE");
    assertThat(line.path("Outcome").asText()).isEqualTo("COMPLETED");
    assertThat(line.path("PrivacyRequests").asLong()).isEqualTo(1);
    assertThat(line.path("level").asText()).isEqualTo("INFO");
  }

  @Test
  void countsWithoutDimensions_goOutTogether_inOneEmptyDimensionSet() throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("RequestsDueWithin3Days", 2L);
    counts.put("OverdueRequests", 5L);

    Metrics.counts(counts, Map.of());

    JsonNode line = line();
    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[]]");
    assertThat(directive.path("Metrics").findValuesAsText("Name"))
        .containsExactly("OverdueRequests", "RequestsDueWithin3Days");
    assertThat(line.path("OverdueRequests").asLong()).isEqualTo(5);
    assertThat(line.path("RequestsDueWithin3Days").asLong()).isEqualTo(2);
  }

  @Test
  void aDimensionValue_thatIsNotAConstant_isRefused_soNoIdOrEmailBecomesOne() {
    for (String value :
        new String[] {
          "r_0123456789abcdef", "jane.doe@example.com", "Jane Doe", "", "A".repeat(33)
        }) {
      assertThatThrownBy(() -> Metrics.count("OrdersPlaced", 1, Map.of("Customer", value)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining(value.isEmpty() ? "\u0000" : value);
    }
    assertThatThrownBy(() -> Metrics.count("orders placed", 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(logs.size()).isZero();
  }
}
