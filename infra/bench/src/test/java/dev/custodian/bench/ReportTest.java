package dev.custodian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void stats_giveTheMedianP99AndSpread() {
    Stats s = Stats.of(new double[] {5, 1, 3, 2, 4});
    assertThat(s.median()).isEqualTo(3);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(5);
    assertThat(s.p99()).isEqualTo(5);
    assertThat(Stats.of(new double[] {1, 2, 3, 4}).median()).isEqualTo(2.5);
  }

  @Test
  void aTargetIsACeiling_exceptForRates() {
    Report report = new Report("cmd", false);
    Stats one = Stats.of(new double[] {1});
    report.add("Warm cost", "slow", one, one, new double[] {2.0}, "ms", 1.5);
    report.add("Ingest", "fast", one, one, new double[] {0.9}, "events/s", 0.8);
    assertThat(report.table())
        .containsPattern("slow.*2\\.00×.*missed")
        .containsPattern("fast.*0\\.90×.*met");
  }

  @Test
  void merging_replacesOnlyTheGeneratedBlock() {
    String doc =
        "# Benchmarks\n\nIntro.\n\n"
            + Report.BEGIN
            + "\nold figures\n"
            + Report.END
            + "\n\n## Analysis\nkept\n";
    String merged = Report.merge(doc, Report.BEGIN + "\nnew figures\n" + Report.END + "\n");
    assertThat(merged)
        .contains("Intro.")
        .contains("new figures")
        .doesNotContain("old figures")
        .contains("## Analysis\nkept");
    assertThat(Report.merge("# Benchmarks\n", "BLOCK\n")).isEqualTo("# Benchmarks\n\nBLOCK\n");
  }
}
