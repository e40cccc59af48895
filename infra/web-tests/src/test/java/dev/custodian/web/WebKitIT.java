package dev.custodian.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The website kit in a real browser: the scenarios of scenarios.mjs (Playwright driving the
 * system's headless Chromium) against the local cloud, one test per scenario. Skipped, with one
 * line saying why, where Chromium or Node is missing.
 */
class WebKitIT {

  /** Debian's Chromium; -Dweb.chromium=... names another build of it. */
  private static final Path CHROMIUM =
      Path.of(System.getProperty("web.chromium", "/usr/bin/chromium"));

  private static final List<String> PAGES = List.of("shop", "order", "privacy", "account");

  @TestFactory
  Stream<DynamicTest> theWebsiteKitWorksInHeadlessChromium() throws Exception {
    Path here = ProjectFiles.root().resolve("infra/web-tests");
    Optional<String> missing = missingTools(here);
    if (missing.isPresent()) {
      System.out.println("[web-tests] SKIPPED: browser tests need " + missing.get());
      Assumptions.abort("browser tests skipped: " + missing.get());
    }
    LocalCloud cloud = SharedLocalCloud.get();
    Path target = here.resolve("target");
    Path shots = target.resolve("screenshots");
    Path results = target.resolve("web-test-results.json");
    Files.deleteIfExists(results);
    long started = System.nanoTime();
    ProcessBuilder node =
        new ProcessBuilder(
                "node",
                "scenarios.mjs",
                cloud.baseUri().toString(),
                shots.toString(),
                results.toString())
            .directory(here.toFile())
            .redirectErrorStream(true);
    node.environment().put("CHROMIUM", CHROMIUM.toString());
    Process run = node.start();
    // Through this JVM's System.out: the test runner reads the fork's own stdout.
    Thread echo = new Thread(() -> echo(run), "web-tests-output");
    echo.setDaemon(true);
    echo.start();
    if (!run.waitFor(15, TimeUnit.MINUTES)) {
      run.destroyForcibly();
      throw new AssertionError("the browser tests ran longer than 15 minutes");
    }
    echo.join(5_000);
    System.out.printf(
        "[web-tests] browser scenarios took %.0f s%n", (System.nanoTime() - started) / 1e9);
    assertThat(results).as("scenarios.mjs wrote no results (exit %d)", run.exitValue()).exists();
    if (Boolean.getBoolean("web.screenshots.update")) {
      Path images = ProjectFiles.root().resolve("docs/images");
      Files.createDirectories(images);
      for (String page : PAGES) {
        Files.copy(
            shots.resolve(page + ".png"),
            images.resolve(page + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    JsonNode outcome = new ObjectMapper().readTree(results.toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (var scenario : outcome.properties()) {
      String name = scenario.getKey();
      String result = scenario.getValue().asText();
      tests.add(DynamicTest.dynamicTest(name, () -> assertThat(result).as(name).isEqualTo("ok")));
    }
    tests.add(
        DynamicTest.dynamicTest(
            "screenshots of every page",
            () -> PAGES.forEach(p -> assertThat(shots.resolve(p + ".png")).isNotEmptyFile())));
    return tests.stream();
  }

  /** What is missing to run the browser tests; installs the npm packages when npm is there. */
  private static Optional<String> missingTools(Path here) throws IOException, InterruptedException {
    if (!Files.isExecutable(CHROMIUM)) {
      return Optional.of("Chromium at " + CHROMIUM + " (apt-get install chromium; .ci/run does)");
    }
    if (!runs("node", "--version")) {
      return Optional.of("Node.js on PATH");
    }
    if (!Files.isDirectory(here.resolve("node_modules/playwright-core"))
        || !Files.isDirectory(here.resolve("node_modules/axe-core"))) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(here.toFile())
              .redirectErrorStream(true)
              .start();
      echo(npm);
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        npm.destroyForcibly();
        return Optional.of("playwright-core and axe-core (npm ci in infra/web-tests failed)");
      }
    }
    return Optional.empty();
  }

  private static void echo(Process process) {
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      lines.lines().forEach(System.out::println);
    } catch (IOException e) {
      System.out.println("[web-tests] output lost: " + e.getMessage());
    }
  }

  private static boolean runs(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
