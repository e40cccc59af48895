package dev.custodian.privacy.disclosures;

import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.retention.DataClass;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The layout of the disclosures table, owned here (only this function uses the table): a request
 * under {@code disclosure#<id>}, its sealed package under {@code disclosure#<id>#package}.
 */
final class DisclosureItems {

  static final String PK = "pk";
  static final String STATUS = "status";
  static final String AWAITING = "AWAITING_APPROVAL";
  static final String APPROVED = "APPROVED";

  private DisclosureItems() {}

  /** What an operator asked for, and who. */
  record Request(
      String disclosureId,
      String authority,
      String legalBasis,
      String reference,
      String subjectId,
      List<DataClass> dataClasses,
      Instant from,
      Instant to,
      Instant nonDisclosureUntil,
      String requestedBy,
      Instant requestedAt,
      String status,
      String approvedBy,
      Instant approvedAt,
      Instant disclosedAt,
      List<String> records) {}

  static Map<String, AttributeValue> key(String disclosureId) {
    return Map.of(PK, AttributeValue.fromS("disclosure#" + disclosureId));
  }

  static Map<String, AttributeValue> packageKey(String disclosureId) {
    return Map.of(PK, AttributeValue.fromS("disclosure#" + disclosureId + "#package"));
  }

  /** Where the package is sealed: this table, this item, this attribute. */
  static FieldAddress packageAddress(String disclosureId) {
    return new FieldAddress("disclosures", "disclosure#" + disclosureId + "#package", "package");
  }

  static Map<String, AttributeValue> item(Request r, AttributeValue expiresAt) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(key(r.disclosureId()));
    item.put("disclosureId", AttributeValue.fromS(r.disclosureId()));
    item.put("authority", AttributeValue.fromS(r.authority()));
    item.put("legalBasis", AttributeValue.fromS(r.legalBasis()));
    item.put("reference", AttributeValue.fromS(r.reference()));
    item.put("subjectId", AttributeValue.fromS(r.subjectId()));
    item.put(
        "dataClasses",
        AttributeValue.fromL(
            r.dataClasses().stream().map(c -> AttributeValue.fromS(c.name())).toList()));
    item.put("from", AttributeValue.fromS(r.from().toString()));
    item.put("to", AttributeValue.fromS(r.to().toString()));
    if (r.nonDisclosureUntil() != null) {
      item.put("nonDisclosureUntil", AttributeValue.fromS(r.nonDisclosureUntil().toString()));
    }
    item.put("requestedBy", AttributeValue.fromS(r.requestedBy()));
    item.put("requestedAt", AttributeValue.fromS(r.requestedAt().toString()));
    item.put(STATUS, AttributeValue.fromS(r.status()));
    item.put(
        "records", AttributeValue.fromL(r.records().stream().map(AttributeValue::fromS).toList()));
    item.put("expiresAt", expiresAt);
    return item;
  }

  static Request read(Map<String, AttributeValue> item) {
    return new Request(
        s(item, "disclosureId"),
        s(item, "authority"),
        s(item, "legalBasis"),
        s(item, "reference"),
        s(item, "subjectId"),
        item.get("dataClasses").l().stream().map(v -> DataClass.valueOf(v.s())).toList(),
        Instant.parse(s(item, "from")),
        Instant.parse(s(item, "to")),
        instant(item, "nonDisclosureUntil"),
        s(item, "requestedBy"),
        Instant.parse(s(item, "requestedAt")),
        s(item, STATUS),
        s(item, "approvedBy"),
        instant(item, "approvedAt"),
        instant(item, "disclosedAt"),
        item.get("records").l().stream().map(AttributeValue::s).toList());
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    String v = s(item, name);
    return v == null ? null : Instant.parse(v);
  }
}
