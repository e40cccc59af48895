package dev.custodian.bench;

import dev.custodian.bench.cold.BaselineHandler;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Cold starts and classes loaded, per function, against the baseline handler started right before
 * each, and every function jar's size (docs/benchmarks.md, "Cold start"). The cloud serves no
 * function (it is seeded as a served one is, then left alone): each start is a fresh JVM of its own
 * ({@link ColdStart}).
 */
final class ColdStarts {

  /** One function's rounds: its cold starts and the baseline's taken beside them. */
  private record Rounds(List<ColdStart.Run> function, List<ColdStart.Run> baseline) {}

  private final LocalCloud cloud;
  private final Report report;
  private final Path work;

  private ColdStarts(LocalCloud cloud, Report report, Path work) {
    this.cloud = cloud;
    this.report = report;
    this.work = work;
  }

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    // a shop as after a deploy: the orders' and policy's samples answer 201 and 200, not a refusal
    cloud.seedShop();
    Path work = Files.createTempDirectory("custodian-bench");
    new ColdStarts(cloud, report, work).run(quick ? 1 : 5);
  }

  private void run(int rounds) throws Exception {
    ColdStart cold = new ColdStart(work);
    // -Dbench.cold=ContactFunction,PlaceOrderFunction: only those (working on one figure)
    Set<String> chosen =
        Set.of(System.getProperty("bench.cold", "").split(",")).stream()
            .filter(s -> !s.isBlank())
            .collect(Collectors.toSet());
    List<LocalCloud.Function> functions =
        cloud.functions().stream()
            .filter(f -> Files.exists(f.code()))
            .filter(
                f ->
                    chosen.isEmpty()
                        || chosen.contains(f.logicalId())
                        || f.logicalId().equals("PlaceOrderFunction"))
            .toList();
    LocalCloud.Function orders =
        functions.stream()
            .filter(f -> f.logicalId().equals("PlaceOrderFunction"))
            .findFirst()
            .orElseThrow();
    Map<String, String> baselineEnv = new LinkedHashMap<>(orders.environment());
    baselineEnv.put("BASELINE_TABLE", cloud.ref("IdempotencyTable"));
    Map<String, Rounds> rounded = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (LocalCloud.Function f : functions) {
        // the baseline right before each function: the pair sees the same machine
        ColdStart.Run baseline =
            cold.run(
                orders.code(),
                BaselineHandler.class.getName(),
                writeEvent("orders/get-order.json"),
                baselineEnv);
        ColdStart.Run run =
            cold.run(
                f.code(),
                f.handler().split("::")[0],
                writeEvent(SampleEvents.FOR_FUNCTION.get(f.logicalId())),
                f.environment());
        Rounds of =
            rounded.computeIfAbsent(
                f.logicalId(), k -> new Rounds(new ArrayList<>(), new ArrayList<>()));
        of.function().add(run);
        of.baseline().add(baseline);
      }
    }
    for (LocalCloud.Function f : functions) {
      Rounds of = rounded.get(f.logicalId());
      String answer = of.function().get(of.function().size() - 1).answer();
      add("Cold start", f.logicalId() + " (" + answer + ")", of, ColdStart.Run::millis, "ms", 1.3);
      add("Classes loaded", f.logicalId(), of, ColdStart.Run::classes, "classes", 1.5);
    }
    addJarSizes(functions);
  }

  private void add(
      String section,
      String name,
      Rounds rounds,
      ToDoubleFunction<ColdStart.Run> figure,
      String unit,
      double target) {
    double[] measured = rounds.function().stream().mapToDouble(figure).toArray();
    double[] baseline = rounds.baseline().stream().mapToDouble(figure).toArray();
    report.add(
        section,
        name,
        Stats.of(measured),
        Stats.of(baseline),
        Ratios.paired(measured, baseline),
        unit,
        target);
  }

  /** Each jar once: several functions ship in the same one. */
  private void addJarSizes(List<LocalCloud.Function> functions) throws IOException {
    Path root = ProjectFiles.root();
    for (LocalCloud.Function f : functions) {
      if (report.hasJar(f.code())) {
        continue;
      }
      double mb = Files.size(f.code()) / 1_000_000.0;
      report.addJar(f.code(), root.relativize(f.code()).toString(), mb);
    }
  }

  private Path writeEvent(String sample) throws IOException {
    Path file = work.resolve(UUID.randomUUID() + ".json");
    Files.writeString(file, SampleEvents.fresh(SampleEvents.read(sample), null));
    return file;
  }
}
