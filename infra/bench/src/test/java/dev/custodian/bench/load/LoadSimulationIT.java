package dev.custodian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ProjectFiles;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The load simulation's quick run inside the test command: every phase runs through the local
 * cloud, the ledger sees each table the operations write, and the model multiplies them out. The
 * figures are a smoke run's; docs/capacity.md holds a full run's.
 */
class LoadSimulationIT {

  @Test
  void theQuickRun_measuresEveryOperation_andFindsTheSharedKeys() throws Exception {
    String markdown = LoadSimulation.run(true);
    Files.writeString(
        ProjectFiles.root().resolve("infra/bench/target/capacity-quick.md"), markdown);

    assertThat(markdown)
        .contains(CapacityModel.BEGIN)
        .contains(CapacityModel.END)
        .contains("**order**")
        .contains("**events**")
        .contains("**events-sustained**")
        .contains("**contact**")
        .contains("**access**")
        .contains("**erasure**")
        .contains("the consumer's iterator age")
        .contains("### At a shop's rates");
    // the order's own items name the order or the person: not shared by all traffic
    assertThat(markdown).containsPattern("\\| OrdersTable \\| [0-9.]+ \\| [0-9.]+ \\|.*\\| no \\|");
    // a day's statistics are the one key family every analytics batch shares, spread over shards
    assertThat(markdown)
        .contains(
            "AnalyticsAggregatesTable one `day#<day>#<n>` key WCU/s ("
                + CapacityModel.STATS_SHARDS
                + " keys share the load)");
  }
}
