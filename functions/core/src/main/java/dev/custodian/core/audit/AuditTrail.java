package dev.custodian.core.audit;

import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The append-only audit trail (docs/privacy.md, "Access logs"). Records are only ever put, each
 * under a new time-ordered key with a condition that nothing is there, so none is overwritten; the
 * template gives functions {@code PutItem} on the table and nothing that updates or deletes.
 */
public final class AuditTrail {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final RetentionRegistry retention;
  private final Clock clock;

  public AuditTrail(
      DynamoDbClient dynamoDb, String table, RetentionRegistry retention, Clock clock) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.retention = retention;
    this.clock = clock;
  }

  /** Writes one record on its own. */
  public void record(AuditRecord record) {
    Map<String, AttributeValue> item = item(record);
    dynamoDb.putItem(
        b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
  }

  /** Writes a disclosure on its own. */
  public void record(Disclosure disclosure) {
    Map<String, AttributeValue> item = item(disclosure);
    dynamoDb.putItem(
        b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
  }

  /** A disclosure as part of a transaction, written with the data change it goes with. */
  public TransactWriteItem asTransactPut(Disclosure disclosure) {
    Map<String, AttributeValue> item = item(disclosure);
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  /**
   * The disclosures of a subject's data that the person may see at {@code now} (those under a
   * non-disclosure period appear once it ends), oldest first.
   */
  public List<Disclosure.Shown> disclosuresOf(String subjectId) {
    Instant now = clock.instant();
    List<Disclosure.Shown> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : items("bySubject", "subjectId", subjectId)) {
      if (!"DISCLOSE".equals(s(item, "action")) || !item.containsKey("recipient")) {
        continue;
      }
      String visibleFrom = s(item, "visibleFrom");
      if (visibleFrom != null && Instant.parse(visibleFrom).isAfter(now)) {
        continue;
      }
      out.add(
          new Disclosure.Shown(
              s(item, "at"),
              s(item, "recipient"),
              s(item, "purpose"),
              s(item, "legalBasis"),
              strings(item, "dataClasses"),
              s(item, "recordId"),
              strings(item, "records")));
    }
    out.sort((a, b) -> a.at().compareTo(b.at()));
    return out;
  }

  private static List<String> strings(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || !value.hasL()
        ? List.of()
        : value.l().stream().map(AttributeValue::s).toList();
  }

  private Map<String, AttributeValue> item(Disclosure disclosure) {
    Map<String, AttributeValue> item = item(disclosure.asAuditRecord());
    item.put("recipient", AttributeValue.fromS(disclosure.recipient()));
    item.put("legalBasis", AttributeValue.fromS(disclosure.legalBasis()));
    item.put(
        "dataClasses",
        AttributeValue.fromL(
            disclosure.dataClasses().stream().map(c -> AttributeValue.fromS(c.name())).toList()));
    if (!disclosure.records().isEmpty()) {
      item.put(
          "records",
          AttributeValue.fromL(disclosure.records().stream().map(AttributeValue::fromS).toList()));
    }
    if (disclosure.visibleFrom() != null) {
      item.put("visibleFrom", AttributeValue.fromS(disclosure.visibleFrom().toString()));
    }
    return item;
  }

  /** The record as part of a transaction, so data and its audit record are written together. */
  public TransactWriteItem asTransactPut(AuditRecord record) {
    Map<String, AttributeValue> item = item(record);
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  /** A record as read back. */
  public record Entry(
      String at,
      String actorType,
      String actorId,
      String action,
      String dataClass,
      String recordId,
      String subjectId,
      String purpose,
      String outcome,
      String requestId) {}

  /** Every live record about a subject, oldest first. */
  public List<Entry> forSubject(String subjectId) {
    return query("bySubject", "subjectId", subjectId);
  }

  /** Every live record of one API request, oldest first. */
  public List<Entry> forRequest(String requestId) {
    return query("byRequest", "requestId", requestId);
  }

  private List<Entry> query(String index, String attribute, String value) {
    List<Entry> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : items(index, attribute, value)) {
      out.add(
          new Entry(
              s(item, "at"),
              s(item, "actorType"),
              s(item, "actorId"),
              s(item, "action"),
              s(item, "dataClass"),
              s(item, "recordId"),
              s(item, "subjectId"),
              s(item, "purpose"),
              s(item, "outcome"),
              s(item, "requestId")));
    }
    out.sort((a, b) -> a.at().compareTo(b.at()));
    return out;
  }

  private List<Map<String, AttributeValue>> items(String index, String attribute, String value) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    dynamoDb
        .queryPaginator(
            QueryRequest.builder()
                .tableName(table)
                .indexName(index)
                .keyConditionExpression("#k = :v")
                .expressionAttributeNames(Map.of("#k", attribute))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value)))
                .scanIndexForward(true)
                .build())
        .items()
        .forEach(out::add);
    return RetentionRegistry.liveOnly(out, clock.instant());
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  private Map<String, AttributeValue> item(AuditRecord record) {
    Instant now = clock.instant();
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(
        "pk",
        AttributeValue.fromS(
            "audit#" + paddedMillis(now) + "#" + HexFormat.of().formatHex(random)));
    item.put("at", AttributeValue.fromS(now.toString()));
    item.put("actorType", AttributeValue.fromS(record.actor().type().name()));
    item.put("actorId", AttributeValue.fromS(record.actor().id()));
    item.put("action", AttributeValue.fromS(record.action().name()));
    item.put("dataClass", AttributeValue.fromS(record.dataClass().name()));
    item.put("recordId", AttributeValue.fromS(record.recordId()));
    if (record.subjectId() != null) {
      item.put("subjectId", AttributeValue.fromS(record.subjectId()));
    }
    item.put("purpose", AttributeValue.fromS(record.purpose().name()));
    item.put("outcome", AttributeValue.fromS(record.outcome().name()));
    if (!record.requestId().isEmpty()) {
      item.put("requestId", AttributeValue.fromS(record.requestId()));
    }
    item.put(RetentionRegistry.EXPIRES_AT, retention.expiresAtAttribute(DataClass.AUDIT, now));
    return item;
  }

  /**
   * The time in milliseconds, zero-padded to 13 digits so keys sort by time (until the year 2286);
   * by hand, as {@code String.format} was a tenth of a warm order's own time.
   */
  static String paddedMillis(Instant at) {
    String millis = Long.toString(at.toEpochMilli());
    return "0".repeat(Math.max(0, 13 - millis.length())) + millis;
  }
}
