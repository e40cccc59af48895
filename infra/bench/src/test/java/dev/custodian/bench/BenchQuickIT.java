package dev.custodian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's quick smoke run, inside the test command: every measurement runs and prints its
 * figures. No thresholds: a smoke run has too few samples to judge a target by.
 */
class BenchQuickIT {

  @Test
  void theQuickRun_measuresEveryFunctionAndEverySection() throws Exception {
    Report report = Bench.run(true, "java -jar infra/bench/target/custodian-bench.jar --quick");
    String table = report.table();
    System.out.println(table);
    Path out = ProjectFiles.root().resolve("infra/bench/target/benchmarks-quick.md");
    Files.writeString(out, report.markdown());

    for (String function : SampleEvents.FOR_FUNCTION.keySet()) {
      assertThat(table).as(function).containsPattern("Cold start\\s+" + function + " ");
      assertThat(table).containsPattern("Classes loaded\\s+" + function + " ");
    }
    // the cold-start cloud is seeded: these two time the work, not a refusal of an empty shop
    assertThat(table)
        .containsPattern("Cold start\\s+PlaceOrderFunction \\(status=201\\)")
        .containsPattern("Cold start\\s+PolicyFunction \\(status=200\\)")
        .doesNotContainPattern("Cold start\\s+\\S+ \\(status=5\\d\\d\\)");
    assertThat(table)
        .contains("Jar size")
        .contains("Warm cost")
        .contains("KMS calls")
        .contains("Ingest")
        .containsPattern("Own time\\s+POST /orders")
        .containsPattern("Erasure\\s+10 items")
        .containsPattern("Erasure\\s+100 items");
    assertThat(Files.readString(out)).contains(Report.BEGIN).contains("| Cold start |");
  }
}
