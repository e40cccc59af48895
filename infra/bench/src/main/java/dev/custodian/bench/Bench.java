package dev.custodian.bench;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.LocalCloudOptions;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.emulator.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The benchmark harness (never deployed). It starts its own moto (or uses {@code
 * AWS_ENDPOINT_URL}), local clouds on it in turn — one serving no function for the cold starts, one
 * for timings, one whose calls are counted at its proxy — and measures cold starts, warm cost per
 * route, the code's own time, analytics ingest, KMS calls, the order transaction's floor and
 * erasure. Every figure is set against a baseline measured in the same run, interleaved. It prints
 * one table and writes it, with the machine and the command, to {@code docs/benchmarks.md} (a
 * {@code --quick} smoke run writes to {@code infra/bench/target/benchmarks-quick.md} instead).
 *
 * <p>Usage: {@code java -jar infra/bench/target/custodian-bench.jar [--quick] [--out FILE] [--only
 * cold,warm,ingest,kms,floor,erasure]}; {@code -Dbench.cold=ContactFunction,...} before {@code
 * -jar} limits the cold starts to those functions (and the orders' function, whose jar holds the
 * baseline).
 */
public final class Bench {

  /** One measurement: takes its figures on the cloud given and adds its rows to the report. */
  @FunctionalInterface
  private interface Measurement {
    void measure(LocalCloud cloud, Report report, boolean quick) throws Exception;
  }

  /** What {@code --only} selects by name: one measurement, or several that go together. */
  private record Step(String name, List<Measurement> measurements) {}

  /** Measurements sharing one local cloud, started when one of them runs and closed after. */
  private record Stage(String stack, LocalCloud.Functions functions, List<Step> steps) {}

  /** The run, in order. */
  private static final List<Stage> SCRIPT =
      List.of(
          // Cold starts need the resources only: no served function (and no poller) runs beside
          // them.
          stage("bench-cold", LocalCloud.Functions.NONE, step("cold", ColdStarts::measure)),
          stage(
              "bench-direct",
              LocalCloud.Functions.BUILT,
              step("warm", WarmCosts::measure, OwnTime::measure),
              step("ingest", AnalyticsIngest::measure)),
          // The counting cloud starts only now, so its pollers do not load the machine before.
          stage(
              "bench-counted",
              LocalCloud.Functions.BUILT,
              step("kms", KmsCalls::measure),
              step("floor", OrderTransactionFloor::measure),
              step("erasure", ErasureCost::measure)));

  private static Stage stage(String stack, LocalCloud.Functions functions, Step... steps) {
    return new Stage(stack, functions, List.of(steps));
  }

  private static Step step(String name, Measurement... measurements) {
    return new Step(name, List.of(measurements));
  }

  /**
   * The command line. {@code only}: the measurements to run ({@code --only
   * cold,warm,ingest,kms,floor,erasure}), all when null: a partial run is for working on one
   * figure, and prints its rows without rewriting the docs.
   */
  private record Arguments(boolean quick, Path out, Set<String> only) {

    static Arguments parse(String[] args) {
      boolean quick = List.of(args).contains("--quick");
      Path out = null;
      Set<String> only = null;
      for (int i = 0; i < args.length - 1; i++) {
        if (args[i].equals("--out")) {
          out = Path.of(args[i + 1]);
        }
        if (args[i].equals("--only")) {
          only = Set.of(args[i + 1].split(","));
        }
      }
      if (out == null) {
        out =
            ProjectFiles.root()
                .resolve(quick ? "infra/bench/target/benchmarks-quick.md" : "docs/benchmarks.md");
      }
      return new Arguments(quick, out, only);
    }
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Arguments arguments = Arguments.parse(args);
    String command =
        "java -jar infra/bench/target/custodian-bench.jar" + (arguments.quick() ? " --quick" : "");
    Report report = run(arguments.quick(), command, arguments.only());
    System.out.println(report.table());
    if (arguments.only() != null) {
      return; // a partial run leaves the docs as they are
    }
    Path out = arguments.out();
    Files.createDirectories(out.toAbsolutePath().getParent());
    String existing = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n";
    Files.writeString(out, Report.merge(existing, report.markdown()));
    System.out.println("written to " + ProjectFiles.root().relativize(out.toAbsolutePath()));
  }

  /** Runs every measurement; the report holds the rows. */
  static Report run(boolean quick, String command) throws Exception {
    return run(quick, command, null);
  }

  private static Report run(boolean quick, String command, Set<String> only) throws Exception {
    Report report = new Report(command, quick);
    String external = System.getenv("AWS_ENDPOINT_URL");
    try (MotoServer moto = external == null || external.isBlank() ? MotoServer.start() : null) {
      URI endpoint = moto != null ? moto.endpoint() : URI.create(external);
      for (Stage stage : SCRIPT) {
        List<Step> steps =
            stage.steps().stream()
                .filter(step -> only == null || only.contains(step.name()))
                .toList();
        if (steps.isEmpty()) {
          continue;
        }
        try (LocalCloud cloud = cloud(stage.stack(), endpoint, stage.functions())) {
          for (Step step : steps) {
            for (Measurement measurement : step.measurements()) {
              measurement.measure(cloud, report, quick);
            }
          }
        }
      }
    }
    return report;
  }

  /** The one place the bench configures a local cloud: every stage's differs only by these. */
  private static LocalCloud cloud(String stack, URI endpoint, LocalCloud.Functions functions)
      throws IOException {
    return LocalCloud.start(
        LocalCloudOptions.builder(ProjectFiles.root().resolve("template.yaml"))
            .endpoint(endpoint)
            .port(0)
            .stackName(stack + "-" + Long.toHexString(System.nanoTime() & 0xffffff))
            .queueVisibilityTimeout(2)
            .functions(functions)
            .build());
  }
}
