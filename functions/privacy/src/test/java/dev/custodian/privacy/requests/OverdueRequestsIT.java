package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.MetricLines;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The scheduled count of overdue requests, invoked as EventBridge would invoke it, against requests
 * in the local cloud's table: its answer and the embedded-metric-format line it logs agree, and
 * they move by exactly the requests seeded past due or due within three days (other tests share the
 * table, so the test reads the change).
 */
class OverdueRequestsIT {

  private final LocalCloud cloud = SharedLocalCloud.get();

  /** One invocation: its answer, and the metric line it logged (fields by name). */
  private record Run(JsonNode answer, JsonNode metrics) {}

  private Run run() throws Exception {
    String event = Files.readString(ProjectFiles.event("privacy/overdue-requests.json"));
    MetricLines.Captured<String> run =
        MetricLines.during("OverdueRequests", () -> cloud.invoke("OverdueRequestsFunction", event));
    assertThat(run.lines()).as("one metric line an invocation").hasSize(1);
    return new Run(Json.MAPPER.readTree(run.answer()), run.lines().get(0));
  }

  @Test
  void theCounts_moveByTheVerifiedRequestsPastDueAndDueWithinThreeDays() throws Exception {
    Run before = run();
    Instant now = Instant.now();

    // counted: overdue
    SeededRequests.put(cloud, "VERIFIED", now.minus(Duration.ofDays(2)), now, false);
    SeededRequests.put(cloud, "IN_PROGRESS", now.minus(Duration.ofHours(1)), now, true);
    // counted: due within three days
    SeededRequests.put(cloud, "VERIFIED", now.plus(Duration.ofDays(2)), now, false);
    // not counted: due later, answered, or never verified
    SeededRequests.put(cloud, "IN_PROGRESS", now.plus(Duration.ofDays(10)), now, false);
    SeededRequests.put(cloud, "COMPLETED", now.minus(Duration.ofDays(5)), now, false);
    SeededRequests.put(cloud, "PENDING_VERIFICATION", now.minus(Duration.ofDays(40)), now, false);

    Run after = run();

    assertThat(after.answer().path("OverdueRequests").asLong())
        .isEqualTo(before.answer().path("OverdueRequests").asLong() + 2);
    assertThat(after.answer().path("RequestsDueWithin3Days").asLong())
        .isEqualTo(before.answer().path("RequestsDueWithin3Days").asLong() + 1);
    JsonNode directive = after.metrics().path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(directive.path("Namespace").asText()).isEqualTo("Custodian");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[]]");
    assertThat(directive.path("Metrics").findValuesAsText("Name"))
        .containsExactlyInAnyOrder("OverdueRequests", "RequestsDueWithin3Days");
    assertThat(after.metrics().path("OverdueRequests").asLong())
        .isEqualTo(after.answer().path("OverdueRequests").asLong());
    assertThat(after.metrics().path("RequestsDueWithin3Days").asLong())
        .isEqualTo(after.answer().path("RequestsDueWithin3Days").asLong());
  }
}
