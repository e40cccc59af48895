package dev.custodian.reliability;

import dev.custodian.local.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shared by the suite: quick or full counts, and the figures every test records. The figures of a
 * run are written to target/reliability-figures.md; a full run's go into docs/reliability.md.
 */
final class Reliability {

  private Reliability() {}

  static final boolean FULL = Boolean.getBoolean("custodian.reliability.full");

  /** A count: the quick one in the test command, the full one with the flag. */
  static int count(int quick, int full) {
    return FULL ? full : quick;
  }

  private static final Map<String, String> FIGURES = new TreeMap<>();

  /** One attribute of an item, read straight from the emulator. */
  static String attribute(
      dev.custodian.local.LocalCloud cloud, String tableLogicalId, String pk, String name) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(cloud.ref(tableLogicalId))
                    .key(
                        Map.of(
                            "pk",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                pk)))
                    .consistentRead(true))
        .item()
        .get(name)
        .s();
  }

  /**
   * A local cloud of its own whose AWS calls go through {@code proxy} (to the shared cloud's
   * emulator), so a test can fail them without disturbing the others.
   */
  static dev.custodian.local.LocalCloud behind(
      dev.custodian.local.emulator.EmulatorProxy proxy, String stack, int maxContainers)
      throws IOException {
    return dev.custodian.local.LocalCloud.start(
        dev.custodian.local.LocalCloudOptions.builder(ProjectFiles.root().resolve("template.yaml"))
            .endpoint(proxy.endpoint())
            .port(0)
            .stackName(stack + "-" + Long.toHexString(System.nanoTime() & 0xffffff))
            .queueVisibilityTimeout(2)
            .maxContainers(maxContainers)
            .functions(dev.custodian.local.LocalCloud.Functions.BUILT)
            .build());
  }

  /** Records one figure (and prints it), under a section and a name. */
  static synchronized void figure(String section, String name, String value) {
    FIGURES.put(section + " | " + name, value);
    System.out.printf(Locale.ROOT, "[reliability] %s | %s | %s%n", section, name, value);
    List<String> lines = new ArrayList<>();
    lines.add("| Test | Figure | Value |");
    lines.add("|---|---|---|");
    FIGURES.forEach((k, v) -> lines.add("| " + k + " | " + v + " |"));
    try {
      Path out = ProjectFiles.root().resolve("infra/reliability/target/reliability-figures.md");
      Files.createDirectories(out.getParent());
      Files.writeString(
          out,
          (FULL ? "Full run" : "Quick run")
              + " (-Dcustodian.reliability.full="
              + FULL
              + ")\n\n"
              + String.join("\n", lines)
              + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
