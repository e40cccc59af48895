package dev.custodian.local.iam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Granted against used: for each function, every (action, resource) its role allows, and whether a
 * call of the test suite used it. A grant never used is a candidate for removal. Usage comes from
 * the files the local clouds of a test run write ({@link #writeUsage}), so the report covers the
 * whole suite across its modules.
 */
public final class IamReport {

  private IamReport() {}

  /**
   * Writes what one local cloud's functions were granted and used to a file of {@code directory},
   * with resources named by {@code naming} (logical ids, so clouds of different stacks merge).
   */
  public static void writeUsage(
      IamGate gate, java.util.function.UnaryOperator<String> naming, Path directory, String name)
      throws IOException {
    Files.createDirectories(directory);
    List<String> lines = new ArrayList<>();
    for (Row row : rows(gate.roles(), gate.used())) {
      lines.add(
          String.join(
              "\t",
              row.function(),
              row.source(),
              row.action(),
              naming.apply(row.resource()),
              String.join(";", row.usedBy())));
    }
    Files.write(directory.resolve(name + ".tsv"), lines);
  }

  /** The rows of every file in {@code directory}, merged: a grant is used if any cloud used it. */
  public static List<Row> readUsage(Path directory) throws IOException {
    Map<String, Row> merged = new TreeMap<>();
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".tsv")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          String[] f = line.split("\t", -1);
          if (f.length < 5) {
            continue;
          }
          String key = f[0] + "\t" + f[1] + "\t" + f[2] + "\t" + f[3];
          Set<String> by = new TreeSet<>();
          Row earlier = merged.get(key);
          if (earlier != null) {
            by.addAll(earlier.usedBy());
          }
          if (!f[4].isEmpty()) {
            by.addAll(List.of(f[4].split(";")));
          }
          merged.put(key, new Row(f[0], f[1], f[2], f[3], List.copyOf(by)));
        }
      }
    }
    return List.copyOf(merged.values());
  }

  /** One row of the report: a granted action on a resource pattern, and what used it. */
  public record Row(
      String function, String source, String action, String resource, List<String> usedBy) {
    public boolean used() {
      return !usedBy.isEmpty();
    }
  }

  /** The rows for every function: each action × resource of each Allow statement. */
  public static List<Row> rows(Map<String, Role> roles, Map<String, Set<String>> used) {
    List<Row> rows = new ArrayList<>();
    roles.forEach(
        (function, role) -> {
          Set<String> calls = used.getOrDefault(function, Set.of());
          for (Role.Grant grant : role.grants()) {
            Statement s = grant.statement();
            if (!s.allow() || s.notAction() || s.notResource()) {
              continue;
            }
            for (String action : s.actions()) {
              for (String resource : s.resources()) {
                List<String> by = new ArrayList<>();
                for (String call : calls) {
                  String[] parts = call.split("\t", 3);
                  if (Wildcards.matchesAction(action, parts[0])
                      && Wildcards.matches(resource, parts[1])
                      && Conditions.holdQuietly(s.conditions(), contextOf(parts))) {
                    by.add(parts[0] + (parts.length > 2 ? " [" + parts[2] + "]" : ""));
                  }
                }
                rows.add(
                    new Row(
                        function,
                        grant.source(),
                        action,
                        resource,
                        List.copyOf(new TreeSet<>(by))));
              }
            }
          }
        });
    return rows;
  }

  private static Map<String, List<String>> contextOf(String[] parts) {
    Map<String, List<String>> context = new TreeMap<>();
    if (parts.length > 2) {
      for (String pair : parts[2].split(" ")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          context.put(
              "kms:EncryptionContext:" + pair.substring(0, eq),
              List.of(pair.substring(eq + 1).split(",")));
        }
      }
    }
    return context;
  }

  /** The report as Markdown: a summary table per function, then the unused grants. */
  public static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append("| Function | Grants (action × resource) | Used by the suite | Never used |\n");
    out.append("|---|---:|---:|---:|\n");
    Map<String, List<Row>> byFunction = new TreeMap<>();
    rows.forEach(r -> byFunction.computeIfAbsent(r.function(), f -> new ArrayList<>()).add(r));
    byFunction.forEach(
        (function, list) -> {
          long usedRows = list.stream().filter(Row::used).count();
          out.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %d | %d |%n",
                  function,
                  list.size(),
                  usedRows,
                  list.size() - usedRows));
        });
    out.append("\nGranted but never used by the suite:\n\n");
    out.append("| Function | Policy | Action | Resource |\n|---|---|---|---|\n");
    rows.stream()
        .filter(r -> !r.used())
        .forEach(
            r ->
                out.append(
                    "| "
                        + r.function()
                        + " | "
                        + r.source()
                        + " | "
                        + r.action()
                        + " | "
                        + shorten(r.resource())
                        + " |\n"));
    out.append("\nUsed grants and the calls that used them:\n\n");
    out.append("| Function | Action | Resource | Used as |\n|---|---|---|---|\n");
    rows.stream()
        .filter(Row::used)
        .forEach(
            r ->
                out.append(
                    "| "
                        + r.function()
                        + " | "
                        + r.action()
                        + " | "
                        + shorten(r.resource())
                        + " | "
                        + String.join(", ", r.usedBy())
                        + " |\n"));
    return out.toString();
  }

  /** ARNs without the account and region, which say nothing here. */
  static String shorten(String arn) {
    return arn.replaceAll("arn:aws:([a-z0-9-]+):[a-z0-9-]*:\\d*:", "$1:");
  }
}
