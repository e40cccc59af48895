package dev.custodian.core.policy;

import dev.custodian.core.processors.Processor;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.retention.RetentionRegistry.Notice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policy's text: a Markdown template whose facts are generated, not typed. The retention of
 * each data class, the purposes and the processors come from the registries the code enforces
 * ({@link RetentionRegistry}, {@link Processor}); the prose around them may not state a period of
 * its own, so a retention parameter changed in the template changes the next version's figures and
 * nothing else can contradict them.
 */
public final class PolicyText {

  /** The placeholders a template may use; the two marked required must appear. */
  static final Set<String> PLACEHOLDERS =
      Set.of("version", "effectiveFrom", "dataClasses", "purposes", "processors");

  static final List<String> REQUIRED = List.of("dataClasses", "processors");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

  /**
   * A period stated in the prose — in figures of any script ("30 days", "３０ days"), in words
   * ("thirty days", "one year"), abbreviated ("5yrs", "6 mths", "24h"), across any space — or a
   * keeping without end ("forever", "indefinitely", "permanently"): only the generated table may
   * say how long anything is kept.
   */
  static final Pattern STATED_PERIOD =
      Pattern.compile(
          "(?U)(?:\\b(?:\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
              + "thirteen|fourteen|fifteen|eighteen|twenty|thirty|forty|fifty|sixty|ninety|"
              + "hundred|several|few)[\\s-]*"
              + "(?:hours?|hrs?|h|days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?)\\b)"
              + "|\\b(?:forever|indefinitely|permanently|in perpetuity)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);

  private static final String TABLE_HEADER =
      "| Data | What it holds | Why | Legal basis | How long we keep it |";

  private PolicyText() {}

  /** The committed default template (the local cloud's first version uses it). */
  public static String defaultTemplate() {
    try (InputStream in = PolicyText.class.getResourceAsStream("default-policy.md")) {
      if (in == null) {
        throw new IllegalStateException("default policy template missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What is wrong with a template, in words an operator can act on; empty when it can be rendered.
   */
  public static List<String> problems(String template) {
    List<String> problems = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        problems.add("unknown placeholder {{" + m.group(1) + "}}");
      }
      used.add(m.group(1));
    }
    for (String required : REQUIRED) {
      if (!used.contains(required)) {
        problems.add("must contain {{" + required + "}} (the facts are generated)");
      }
    }
    Matcher period = STATED_PERIOD.matcher(template);
    if (period.find()) {
      problems.add(
          "states a period ("
              + period.group()
              + "); retention periods come from {{dataClasses}} only");
    }
    return problems;
  }

  /** The text of a version: the template with its facts filled from the registries. */
  public static String render(
      String template, String version, Instant effectiveFrom, RetentionRegistry retention) {
    List<String> problems = problems(template);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("version", version);
    values.put("effectiveFrom", effectiveFrom.toString());
    values.put("dataClasses", dataClasses(retention));
    values.put("purposes", purposes(retention));
    values.put("processors", processors());
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String dataClasses(RetentionRegistry retention) {
    StringBuilder out = new StringBuilder(TABLE_HEADER).append('\n');
    out.append("|---|---|---|---|---|\n");
    for (Notice n : retention.notices()) {
      out.append("| ")
          .append(cell(n.title()))
          .append(" | ")
          .append(cell(n.holds()))
          .append(" | ")
          .append(cell(n.purpose()))
          .append(" | ")
          .append(cell(n.legalBasis()))
          .append(" | ")
          .append(cell(n.kept()))
          .append(" |\n");
    }
    return out.toString().stripTrailing();
  }

  private static String purposes(RetentionRegistry retention) {
    Set<String> purposes = new LinkedHashSet<>();
    for (Notice n : retention.notices()) {
      if (!n.legalBasis().startsWith("not personal data")) {
        purposes.add(n.purpose());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String purpose : purposes) {
      out.append("- ").append(purpose).append('\n');
    }
    return out.toString().stripTrailing();
  }

  private static String processors() {
    StringBuilder out =
        new StringBuilder("| Processor | Why | What it receives |\n|---|---|---|\n");
    for (Processor p : Processor.values()) {
      out.append("| ")
          .append(cell(p.title()))
          .append(" | ")
          .append(cell(p.purpose()))
          .append(" | ")
          .append(cell(p.receives()))
          .append(" |\n");
    }
    return out.toString().stripTrailing();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace('\n', ' ');
  }

  /**
   * The retention each data class is stated to have in a rendered text, by the class's title, from
   * the generated table.
   */
  public static Map<String, String> statedRetention(String text) {
    Map<String, String> stated = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : text.split("\n")) {
      if (line.equals(TABLE_HEADER)) {
        inTable = true;
        continue;
      }
      if (inTable && !line.startsWith("|")) {
        inTable = false;
      }
      if (!inTable || line.startsWith("|---")) {
        continue;
      }
      String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
      if (cells.length == 5) {
        stated.put(cells[0].trim(), cells[4].trim());
      }
    }
    return stated;
  }

  /**
   * How a rendered text disagrees with the retention the code applies: a class stated with another
   * period, a class missing, or a period stated anywhere outside the generated table. Empty when
   * the text tells the truth.
   */
  public static List<String> disagreements(String text, RetentionRegistry retention) {
    List<String> out = new ArrayList<>();
    Map<String, String> stated = statedRetention(text);
    for (Notice n : retention.notices()) {
      String says = stated.get(n.title());
      if (says == null) {
        out.add(n.title() + ": not stated");
      } else if (!says.equals(n.kept())) {
        out.add(n.title() + ": states \"" + says + "\", the code applies \"" + n.kept() + "\"");
      }
    }
    for (String line : text.split("\n")) {
      if (!line.startsWith("|") && STATED_PERIOD.matcher(line).find()) {
        out.add("a period stated outside the retention table: " + line.strip());
      }
    }
    return out;
  }
}
