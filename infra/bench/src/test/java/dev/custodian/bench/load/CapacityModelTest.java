package dev.custodian.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityModelTest {

  @Test
  void itemSize_followsDynamoDbsRules() throws Exception {
    ObjectMapper json = new ObjectMapper();
    // "pk" (2) + "ab" (2) + "n" (1) + 123 (2 digits pairs + 1 = 3) + "ok" (2) + true (1)
    assertThat(
            ItemSize.of(
                json.readTree(
                    "{\"pk\":{\"S\":\"ab\"},\"n\":{\"N\":\"123\"},\"ok\":{\"BOOL\":true}}")))
        .isEqualTo(2 + 2 + 1 + 3 + 2 + 1);
    // a map: 3 + one per element, plus its content ("a" + "x")
    assertThat(ItemSize.of(json.readTree("{\"m\":{\"M\":{\"a\":{\"S\":\"x\"}}}}")))
        .isEqualTo(1 + 3 + 1 + 1 + 1);
  }

  @Test
  void aKeyNamingAnEntity_isNotShared_andADaysShards_are() {
    assertThat(CapacityModel.shape("order#o_0123456789abcdef0123456789abcdef"))
        .isEqualTo("order#o_<id>");
    assertThat(CapacityModel.shape("day#2026-12-02#7")).isEqualTo("day#<day>#7");
    assertThat(CapacityModel.family("day#<day>#7")).isEqualTo("day#<day>#<n>");

    CapacityModel.Phase phase = new CapacityModel.Phase("events", "test");
    List<Ledger.Write> writes = new ArrayList<>();
    for (int op = 0; op < 20; op++) {
      writes.add(
          new Ledger.Write(
              "AnalyticsEventsTable", "visitor#" + "ab".repeat(32) + op, 300, false, op, "fn"));
      // two transactional writes of a 1.5 KB item: 2 KB × 2 = 4 WCU each
      writes.add(
          new Ledger.Write(
              "AnalyticsAggregatesTable", "day#2026-12-02#" + (op % 4), 1500, true, op, "fn"));
      writes.add(
          new Ledger.Write(
              "AnalyticsAggregatesTable", "day#2026-12-02#" + (op % 4), 1500, true, op, "fn"));
    }
    phase.finish(20, 1.0, 1.0, new Ledger.Snapshot(writes, List.of(), Map.of()));

    List<CapacityModel.TableFigures> tables = CapacityModel.tables(phase);
    CapacityModel.TableFigures events = figures(tables, "AnalyticsEventsTable");
    CapacityModel.TableFigures aggregates = figures(tables, "AnalyticsAggregatesTable");
    assertThat(events.shared()).isFalse();
    assertThat(aggregates.shared()).isTrue();
    assertThat(aggregates.wcuPerOp()).isEqualTo(8.0);
    // a day's load is spread over the function's shards, however few a run touched
    assertThat(aggregates.keysLikeIt()).isEqualTo(CapacityModel.STATS_SHARDS);
    assertThat(aggregates.evenKeyWcuPerOp()).isEqualTo(8.0 / CapacityModel.STATS_SHARDS);
  }

  private static CapacityModel.TableFigures figures(
      List<CapacityModel.TableFigures> tables, String table) {
    return tables.stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow();
  }
}
