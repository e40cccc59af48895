package dev.custodian.core.processing;

import dev.custodian.core.retention.DataClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which data classes each table of the template holds, by the table's logical id: declared once,
 * here. A table the template adds without an entry fails the purpose-limitation test.
 */
public final class Tables {

  /**
   * The items of a table under partition keys with these prefixes hold no data class (the
   * blind-index secrets in the key store): a grant limited to them by {@code dynamodb:LeadingKeys}
   * reaches none.
   */
  public static final Map<String, List<String>> WITHOUT_DATA =
      Map.of("SubjectsTable", List.of("secret#"));

  private static final Map<String, List<DataClass>> HOLDS = new LinkedHashMap<>();

  static {
    HOLDS.put("SubjectsTable", List.of(DataClass.SUBJECT_PROFILE));
    HOLDS.put("ProfilesTable", List.of(DataClass.SUBJECT_PROFILE));
    HOLDS.put("OrdersTable", List.of(DataClass.ORDER_CONTACT, DataClass.TRANSACTION));
    HOLDS.put("ContactTable", List.of(DataClass.CONTACT_MESSAGE));
    HOLDS.put("AnalyticsEventsTable", List.of(DataClass.ANALYTICS_EVENT));
    HOLDS.put("AnalyticsAggregatesTable", List.of(DataClass.ANALYTICS_AGGREGATE));
    HOLDS.put("PrivacyRequestsTable", List.of(DataClass.PRIVACY_REQUEST, DataClass.REQUEST_EMAIL));
    HOLDS.put("ExportsTable", List.of(DataClass.EXPORT));
    HOLDS.put("DisclosuresTable", List.of(DataClass.DISCLOSURE));
    HOLDS.put("TombstonesTable", List.of(DataClass.TOMBSTONE));
    HOLDS.put("AuditTable", List.of(DataClass.AUDIT));
    HOLDS.put("CatalogueTable", List.of(DataClass.CATALOGUE));
    HOLDS.put("PolicyTable", List.of(DataClass.POLICY_VERSION));
    HOLDS.put("IdempotencyTable", List.of(DataClass.IDEMPOTENCY));
  }

  private Tables() {}

  /** The classes a table holds; empty for a table nobody declared. */
  public static Optional<List<DataClass>> holds(String table) {
    return Optional.ofNullable(HOLDS.get(table));
  }

  /** Every declared table, in the order the record shows them. */
  public static List<String> all() {
    return List.copyOf(HOLDS.keySet());
  }

  /** The tables holding a class. */
  public static List<String> holding(DataClass dataClass) {
    return HOLDS.entrySet().stream()
        .filter(e -> e.getValue().contains(dataClass))
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * The classes a grant reaches: none when its leading keys are all prefixed as holding no data.
   */
  public static List<DataClass> reached(String table, List<String> keyPrefixes) {
    List<String> exempt = WITHOUT_DATA.getOrDefault(table, List.of());
    if (!keyPrefixes.isEmpty()
        && keyPrefixes.stream().allMatch(k -> exempt.stream().anyMatch(k::startsWith))) {
      return List.of();
    }
    return holds(table).orElse(List.of());
  }
}
