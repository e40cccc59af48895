package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clean builds give byte-identical jars (project.build.outputTimestamp), so `sam deploy` does
 * not republish a function whose code did not change. The smallest function (the notifier, with the
 * core library it shades) is built again from a copy of its sources in a fresh directory and
 * compared with the jar this build made.
 */
class ReproducibleJarIT {

  private static final List<String> MODULES = List.of("functions/core", "functions/notifier");

  @TempDir Path copy;

  @Test
  void theNotifierJar_builtAgainFromCleanSources_isByteIdentical() throws Exception {
    Path root = ProjectFiles.root();
    Path built = root.resolve("functions/notifier/target/notifier.jar");
    Assumptions.assumeTrue(Files.exists(built), "functions/notifier not packaged in this build");

    // The root pom with only the two modules, so Maven builds nothing else.
    String pom = Files.readString(root.resolve("pom.xml"));
    StringBuilder modules = new StringBuilder("<modules>");
    MODULES.forEach(m -> modules.append("<module>").append(m).append("</module>"));
    Files.writeString(
        copy.resolve("pom.xml"),
        pom.replaceFirst("(?s)<modules>.*?</modules>", modules.append("</modules>").toString()));
    copyTree(root.resolve(".mvn"), copy.resolve(".mvn"));
    for (String module : MODULES) {
      // Main sources only: without the tests, their harness (custodian-local) is not needed.
      Files.createDirectories(copy.resolve(module));
      Files.writeString(
          copy.resolve(module).resolve("pom.xml"),
          Files.readString(root.resolve(module).resolve("pom.xml"))
              .replaceAll(
                  "(?s)<dependency>\\s*<groupId>dev.custodian</groupId>\\s*"
                      + "<artifactId>custodian-local</artifactId>.*?</dependency>",
                  ""));
      copyTree(root.resolve(module).resolve("src/main"), copy.resolve(module).resolve("src/main"));
    }

    Process mvn;
    try {
      mvn =
          new ProcessBuilder(
                  "mvn",
                  "-B",
                  "-q",
                  "-o",
                  "package",
                  "-Dmaven.test.skip=true",
                  "-Dspotless.skip=true")
              .directory(copy.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException noMaven) {
      Assumptions.abort("mvn is not on PATH: the reproducible build is not checked");
      return;
    }
    String output = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(mvn.exitValue()).as(output).isZero();

    Path again = copy.resolve("functions/notifier/target/notifier.jar");
    assertThat(sha256(again)).as("notifier.jar of two clean builds").isEqualTo(sha256(built));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      return;
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
