package dev.custodian.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's files are, for tests and tools run from any module. */
public final class ProjectFiles {

  private ProjectFiles() {}

  /**
   * The project root: the {@code custodian.root} system property (the build sets it), else the
   * nearest directory upwards holding {@code template.yaml}.
   */
  public static Path root() {
    String configured = System.getProperty("custodian.root");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("events"))) {
        return dir;
      }
    }
    throw new IllegalStateException("Cannot find the project root (template.yaml)");
  }

  /** A sample event of {@code events/}, e.g. {@code privacy/get-policy.json}. */
  public static Path event(String name) {
    return root().resolve("events").resolve(name);
  }
}
