package dev.custodian.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar custodian-local.jar [--port N] [--template PATH] [--param K=V]...} */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    LocalCloudOptions.Builder options = LocalCloudOptions.builder(Path.of("template.yaml"));
    Map<String, String> parameters = new LinkedHashMap<>();
    Path template = Path.of("template.yaml");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--port" -> options.port(Integer.parseInt(value(args, ++i, arg)));
        case "--template" -> template = Path.of(value(args, ++i, arg));
        case "--stack-name" -> options.stackName(value(args, ++i, arg));
        case "--cloud" -> options.cloud(value(args, ++i, arg));
        case "--max-containers" -> options.maxContainers(Integer.parseInt(value(args, ++i, arg)));
        case "--queue-visibility-timeout" ->
            options.queueVisibilityTimeout(Integer.parseInt(value(args, ++i, arg)));
        case "--iam" -> {
          String value = value(args, ++i, arg);
          if (!value.equals("on") && !value.equals("off")) {
            usage("--iam takes on or off");
          }
          options.iam(value.equals("on"));
        }
        case "--iam-report" -> {
          Path usage = Path.of(i + 1 < args.length ? args[++i] : "target/iam-usage");
          java.util.List<dev.custodian.local.iam.IamReport.Row> rows =
              dev.custodian.local.iam.IamReport.readUsage(usage);
          if (rows.isEmpty()) {
            System.err.println(
                "No IAM usage under "
                    + usage.toAbsolutePath()
                    + ": run the tests first (mvn -B verify writes it there)");
            System.exit(2);
          }
          System.out.print(dev.custodian.local.iam.IamReport.markdown(rows));
          return;
        }
        case "--param" -> {
          String pair = value(args, ++i, arg);
          int eq = pair.indexOf('=');
          if (eq < 1) {
            usage("--param takes NAME=VALUE");
          }
          parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        case "--help", "-h" -> {
          usage(null);
        }
        default -> usage("Unknown argument " + arg);
      }
    }
    if (!Files.exists(template)) {
      usage(
          "No template at "
              + template.toAbsolutePath()
              + " (run from the project root, or --template)");
    }
    options.template(template).parameters(parameters);
    long started = System.nanoTime();
    LocalCloud cloud;
    try {
      cloud = LocalCloud.start(options.build());
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cloud.close();
                  stopped.countDown();
                },
                "local-cloud-shutdown"));
    cloud.provisioned().forEach(line -> System.out.println("  created " + line));
    System.out.printf("Started in %.1f s%n", (System.nanoTime() - started) / 1_000_000_000.0);
    System.out.println("Custodian local cloud ready at " + cloud.baseUri());
    stopped.await();
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      usage(flag + " needs a value");
    }
    return args[index];
  }

  private static void usage(String problem) {
    if (problem != null) {
      System.err.println(problem);
    }
    System.err.println(
        "usage: java -jar infra/local/target/custodian-local.jar [--port N] [--template PATH]"
            + " [--param NAME=VALUE]... [--cloud auto|moto|localstack|external]"
            + " [--stack-name NAME] [--max-containers N]"
            + " [--queue-visibility-timeout SECONDS] [--iam on|off]\n"
            + "       java -jar infra/local/target/custodian-local.jar --iam-report [USAGE_DIR]"
            + " (granted against used permissions, from a test run's target/iam-usage)");
    System.exit(problem == null ? 0 : 2);
  }
}
