package dev.custodian.bench;

import dev.custodian.bench.cold.BaselineHandler;
import dev.custodian.bench.cold.ColdInvoke;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a fresh JVM with the Lambda runtime's flags on one function jar and times it from process
 * start to the first response, with the classes it loaded by then.
 */
final class ColdStart {

  /** The flags the Lambda Java runtime starts with, on one processor. */
  static final List<String> LAMBDA_FLAGS =
      List.of(
          "-XX:+TieredCompilation",
          "-XX:TieredStopAtLevel=1",
          "-XX:ActiveProcessorCount=1",
          "-XX:+UseSerialGC",
          "-Xshare:auto",
          "-Xmx512m");

  /** One cold start: wall time to the first answer, classes loaded, and what the handler said. */
  record Run(double millis, long classes, String answer) {}

  private final Path probe;

  ColdStart(Path work) throws IOException {
    this.probe = work.resolve("probe");
    for (Class<?> type : List.of(ColdInvoke.class, BaselineHandler.class)) {
      String resource = type.getName().replace('.', '/') + ".class";
      Path target = probe.resolve(resource);
      Files.createDirectories(target.getParent());
      try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
        Files.write(target, in.readAllBytes());
      }
    }
  }

  Run run(Path jar, String handlerClass, Path event, Map<String, String> environment)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(LAMBDA_FLAGS);
    // -Dbench.coldFlags="-Xlog:class+load:file=cl-%p.txt": extra flags, to look inside a start
    for (String flag : System.getProperty("bench.coldFlags", "").split(" ")) {
      if (!flag.isBlank()) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(probe + java.io.File.pathSeparator + jar);
    command.add(ColdInvoke.class.getName());
    command.add(handlerClass);
    command.add(event.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    long start = System.nanoTime();
    Process process = builder.start();
    String line;
    List<String> seen = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = out.readLine()) != null) {
        if (line.startsWith("COLD ")) {
          double millis = (System.nanoTime() - start) / 1e6;
          String[] parts = line.split(" ", 3);
          process.waitFor(30, TimeUnit.SECONDS);
          return new Run(millis, Long.parseLong(parts[1]), parts[2]);
        }
        if (seen.size() < 20) {
          seen.add(line);
        }
      }
    } finally {
      process.destroyForcibly();
    }
    throw new IllegalStateException(
        handlerClass + " gave no answer; its output began:\n" + String.join("\n", seen));
  }
}
