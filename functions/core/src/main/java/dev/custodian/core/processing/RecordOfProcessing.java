package dev.custodian.core.processing;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.json.Json;
import dev.custodian.core.processors.Processor;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.Processing;
import dev.custodian.core.retention.RetentionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The record of processing activities (Art. 30 GDPR), generated from the code: per data class its
 * purposes, legal basis, data subjects and categories, retention, the processors that receive it,
 * the functions that may read or write it (from the template's IAM) and its safeguards. One
 * generator for the operators' JSON ({@code GET /admin/privacy/record-of-processing}) and for
 * {@code docs/record-of-processing.md}.
 */
public final class RecordOfProcessing {

  /** The classpath resource the build generates from the template's IAM. */
  public static final String ACCESS_RESOURCE =
      "/dev/custodian/core/processing/function-access.json";

  private final RetentionRegistry retention;
  private final List<FunctionAccess> access;

  public RecordOfProcessing(RetentionRegistry retention, List<FunctionAccess> access) {
    this.retention = retention;
    this.access = List.copyOf(access);
  }

  /** The record with the reach the build generated into the function's jar. */
  public static RecordOfProcessing fromBuild(RetentionRegistry retention) {
    return new RecordOfProcessing(retention, builtAccess());
  }

  /** The reach the build generated (function-access.json). */
  public static List<FunctionAccess> builtAccess() {
    try (InputStream in = RecordOfProcessing.class.getResourceAsStream(ACCESS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(ACCESS_RESOURCE + " is missing from the build");
      }
      return Json.MAPPER.readValue(in, new TypeReference<List<FunctionAccess>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The access list as the build writes it. */
  public static String accessJson(List<FunctionAccess> access) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(access) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record as operators get it. */
  public Map<String, Object> asJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("controller", "the shop that deploys Custodian (see its privacy policy)");
    out.put("source", "generated from the retention registry, the processors register and IAM");
    List<Map<String, Object>> classes = new ArrayList<>();
    Map<String, String> kept = new LinkedHashMap<>();
    retention.notices().forEach(n -> kept.put(n.dataClass(), n.kept()));
    for (DataClass dataClass : DataClass.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dataClass", dataClass.name());
      entry.put("title", dataClass.title());
      entry.put("holds", dataClass.holds());
      entry.put("purposes", Processing.purposes(dataClass).stream().map(Enum::name).toList());
      entry.put("purpose", dataClass.purpose());
      entry.put("legalBasis", dataClass.legalBasis());
      entry.put("dataSubjects", Processing.dataSubjects(dataClass));
      entry.put("categories", Processing.categories(dataClass));
      entry.put("retention", kept.get(dataClass.name()));
      entry.put("tables", Tables.holding(dataClass));
      List<Map<String, String>> processors = new ArrayList<>();
      for (Processor p : Processing.processors(dataClass)) {
        processors.add(Map.of("processor", p.name(), "title", p.title(), "purpose", p.purpose()));
      }
      entry.put("processors", processors);
      entry.put("otherRecipients", Processing.otherRecipients(dataClass));
      entry.put("readBy", functions(dataClass, true));
      entry.put("writtenBy", functions(dataClass, false));
      Map<String, String> safeguards = new LinkedHashMap<>();
      safeguards.put("sealing", Processing.sealing(dataClass));
      safeguards.put("atRest", "tables encrypted with the project's customer-managed KMS key");
      safeguards.put(
          "ttl",
          retention.period(dataClass).isPresent()
              ? "expiresAt set at write time; reads treat expired items as absent"
              : "kept (no personal data)");
      entry.put("safeguards", safeguards);
      classes.add(entry);
    }
    out.put("dataClasses", classes);
    Map<String, List<String>> functions = new LinkedHashMap<>();
    for (FunctionAccess a : access) {
      functions.putIfAbsent(a.function(), a.purposes());
    }
    List<Map<String, Object>> fns = new ArrayList<>();
    functions.forEach((f, p) -> fns.add(Map.of("function", f, "purposes", p)));
    out.put("functions", fns);
    List<Map<String, String>> purposes = new ArrayList<>();
    for (Purpose p : Purpose.values()) {
      purposes.add(Map.of("purpose", p.name()));
    }
    out.put("purposes", purposes);
    return out;
  }

  /** The functions whose role reads (or writes) a table holding the class. */
  private List<String> functions(DataClass dataClass, boolean reads) {
    TreeSet<String> out = new TreeSet<>();
    for (FunctionAccess a : access) {
      if ((reads ? a.reads() : a.writes())
          && Tables.reached(a.table(), a.keyPrefixes()).contains(dataClass)) {
        out.add(a.function());
      }
    }
    return List.copyOf(out);
  }

  /** The record as docs/record-of-processing.md shows it. */
  @SuppressWarnings("unchecked")
  public String asMarkdown() {
    Map<String, Object> json = asJson();
    StringBuilder md = new StringBuilder();
    md.append("# Record of processing activities (Art. 30 GDPR)\n\n")
        .append("<!-- Generated by the build from the code (RecordOfProcessing): do not edit.")
        .append(" A change to the registries or to template.yaml's IAM regenerates it. -->\n\n")
        .append("Controller: the shop that deploys Custodian. Each data class below is described")
        .append(" by the retention registry (`DataClass`, `Processing`), the processors register")
        .append(" (`Processor`) and, for the functions that may read or write it, the IAM roles")
        .append(" of `template.yaml` (the same roles the local cloud enforces). Retention shows")
        .append(" the template's default parameters; `GET /admin/privacy/record-of-processing`")
        .append(" shows the deployed values.\n\n")
        .append("## Functions and their purposes\n\n")
        .append("A test fails when a function's role reaches a table holding a data class whose")
        .append(" purposes do not include one of the function's (purpose limitation).\n\n")
        .append("| Function | Purposes |\n|---|---|\n");
    for (Map<String, Object> f : (List<Map<String, Object>>) json.get("functions")) {
      md.append("| ")
          .append(f.get("function"))
          .append(" | ")
          .append(String.join(", ", (List<String>) f.get("purposes")))
          .append(" |\n");
    }
    md.append("\n## Data classes\n");
    for (Map<String, Object> c : (List<Map<String, Object>>) json.get("dataClasses")) {
      Map<String, String> safeguards = (Map<String, String>) c.get("safeguards");
      List<String> processors =
          ((List<Map<String, String>>) c.get("processors"))
              .stream().map(p -> p.get("title")).toList();
      md.append("\n### ")
          .append(c.get("title"))
          .append(" (`")
          .append(c.get("dataClass"))
          .append("`)\n\n");
      line(md, "Holds", c.get("holds"));
      line(md, "Purposes", String.join(", ", (List<String>) c.get("purposes")));
      line(md, "Why", c.get("purpose"));
      line(md, "Legal basis", c.get("legalBasis"));
      line(md, "Data subjects", c.get("dataSubjects"));
      line(md, "Categories of data", join((List<String>) c.get("categories"), "none"));
      line(md, "Retention", c.get("retention"));
      line(md, "Tables", join((List<String>) c.get("tables"), "none"));
      line(md, "Processors receiving it", join(processors, "none"));
      line(md, "Other recipients", join((List<String>) c.get("otherRecipients"), "none"));
      line(md, "Read by", join((List<String>) c.get("readBy"), "no function"));
      line(md, "Written by", join((List<String>) c.get("writtenBy"), "no function"));
      line(
          md,
          "Safeguards",
          safeguards.get("sealing")
              + "; "
              + safeguards.get("atRest")
              + "; "
              + safeguards.get("ttl"));
    }
    return md.toString();
  }

  private static void line(StringBuilder md, String name, Object value) {
    md.append("- **").append(name).append(":** ").append(value).append('\n');
  }

  private static String join(List<String> values, String none) {
    return values.isEmpty() ? none : String.join(", ", values);
  }
}
