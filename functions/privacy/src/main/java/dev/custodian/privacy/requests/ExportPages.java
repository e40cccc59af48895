package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.util.RawValue;
import dev.custodian.core.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts an export into pages that each fit one Lambda response. Lambda answers at most 6 MB, and the
 * page travels as a JSON string inside the response's JSON, so a page is measured as it will be
 * sent: quotes and backslashes doubled, and every non-ASCII character counted as a {@code \}{@code
 * uXXXX} escape. Records are never split: a page ends before the record that would take it past the
 * budget. Page 1 carries the Art. 15 information; every page carries the request id, its number and
 * the number of pages.
 */
final class ExportPages {

  /** What a page may take in the response: 6 MB less the envelope, headers and a margin. */
  static final int RESPONSE_BUDGET = 5_000_000;

  private final int budget;

  ExportPages(int budget) {
    this.budget = budget;
  }

  /**
   * The pages of an export, as JSON documents. {@code data} maps each section to its records (a
   * list) or to a single record (the profile); {@code header} and {@code information} go on the
   * first page.
   */
  List<String> paginate(
      Map<String, Object> header, Map<String, Object> data, Map<String, Object> information) {
    // (section, record as JSON) in the order the export shows them
    List<Map.Entry<String, String>> records = new ArrayList<>();
    Map<String, Boolean> isList = new LinkedHashMap<>();
    data.forEach(
        (section, value) -> {
          isList.put(section, value instanceof List<?>);
          if (value instanceof List<?> list) {
            list.forEach(record -> records.add(Map.entry(section, Json.write(record))));
          } else if (value != null) {
            records.add(Map.entry(section, Json.write(value)));
          }
        });
    String informationJson = Json.write(information);
    int fixed = sentSize(Json.write(header)) + 64;

    List<Map<String, List<String>>> pages = new ArrayList<>();
    Map<String, List<String>> page = new LinkedHashMap<>();
    int size = fixed + sentSize(informationJson);
    for (Map.Entry<String, String> record : records) {
      int cost = sentSize(record.getValue()) + sentSize(record.getKey()) + 8;
      if (!page.isEmpty() && size + cost > budget) {
        pages.add(page);
        page = new LinkedHashMap<>();
        size = fixed;
      }
      page.computeIfAbsent(record.getKey(), s -> new ArrayList<>()).add(record.getValue());
      size += cost;
    }
    pages.add(page);

    List<String> out = new ArrayList<>(pages.size());
    for (int i = 0; i < pages.size(); i++) {
      Map<String, Object> document = new LinkedHashMap<>(header);
      document.put("page", i + 1);
      document.put("pages", pages.size());
      Map<String, Object> sections = new LinkedHashMap<>();
      Map<String, List<String>> held = pages.get(i);
      for (Map.Entry<String, Boolean> section : isList.entrySet()) {
        List<String> json = held.get(section.getKey());
        if (section.getValue()) {
          // the first page names every list, empty or not: a reader sees what was looked at
          if (json != null || i == 0) {
            sections.put(
                section.getKey(),
                json == null ? List.of() : json.stream().map(RawValue::new).toList());
          }
        } else if (json != null) {
          sections.put(section.getKey(), new RawValue(json.get(0)));
        }
      }
      document.put("data", sections);
      if (i == 0) {
        document.put("information", new RawValue(informationJson));
      }
      out.add(Json.write(document));
    }
    return out;
  }

  /** The bytes a JSON text takes once embedded, as a string, in the response's JSON. */
  static int sentSize(String json) {
    int size = 0;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"' || c == '\\') {
        size += 2;
      } else if (c < 0x80) {
        size += 1;
      } else {
        size += 6;
      }
    }
    return size;
  }
}
