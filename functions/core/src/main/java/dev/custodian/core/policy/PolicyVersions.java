package dev.custodian.core.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The policy table's layout, and every read and write of it: one item per published version, keyed
 * {@code version#<name>}. Versions hold no personal data and carry no {@code expiresAt}: they are
 * kept (docs/privacy.md#retention). There is no update and no delete: a published version is
 * written once, under {@code attribute_not_exists}, and never changes.
 */
public final class PolicyVersions {

  /** The environment variable naming the table (the template sets it for every function). */
  public static final String TABLE_VARIABLE = "POLICY_TABLE";

  private static final String PK = "pk";
  private static final String VERSION = "version";
  private static final String PUBLISHED_AT = "publishedAt";
  private static final String EFFECTIVE_FROM = "effectiveFrom";
  private static final String MATERIAL = "material";
  private static final String SUMMARY = "summaryOfChanges";
  private static final String TEXT = "text";

  /** Newest publication first. */
  static final Comparator<PolicyVersion> NEWEST_FIRST =
      Comparator.comparing(PolicyVersion::publishedAt)
          .thenComparing(PolicyVersion::version)
          .reversed();

  /** When a version was published and takes effect: all that says which one is in force. */
  public record Scheduled(String version, Instant publishedAt, Instant effectiveFrom) {

    /** Whether it applies at {@code now}. */
    public boolean effectiveAt(Instant now) {
      return !effectiveFrom.isAfter(now);
    }
  }

  /** The later of two versions in force: the later effective date, then the later publication. */
  static final Comparator<Scheduled> IN_FORCE_ORDER =
      Comparator.comparing(Scheduled::effectiveFrom)
          .thenComparing(Scheduled::publishedAt)
          .thenComparing(Scheduled::version);

  private final DynamoDbClient dynamoDb;
  private final String table;

  public PolicyVersions(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  private static Map<String, AttributeValue> key(String version) {
    return Map.of(PK, AttributeValue.fromS("version#" + version));
  }

  static Map<String, AttributeValue> toItem(PolicyVersion v) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(key(v.version()));
    item.put(VERSION, AttributeValue.fromS(v.version()));
    item.put(PUBLISHED_AT, AttributeValue.fromS(v.publishedAt().toString()));
    item.put(EFFECTIVE_FROM, AttributeValue.fromS(v.effectiveFrom().toString()));
    item.put(MATERIAL, AttributeValue.fromBool(v.material()));
    item.put(SUMMARY, AttributeValue.fromS(v.summaryOfChanges()));
    item.put(TEXT, AttributeValue.fromS(v.text()));
    return item;
  }

  static PolicyVersion fromItem(Map<String, AttributeValue> item) {
    return new PolicyVersion(
        item.get(VERSION).s(),
        Instant.parse(item.get(PUBLISHED_AT).s()),
        Instant.parse(item.get(EFFECTIVE_FROM).s()),
        Boolean.TRUE.equals(item.get(MATERIAL).bool()),
        item.get(SUMMARY).s(),
        item.get(TEXT).s());
  }

  /** One version, if published. */
  public Optional<PolicyVersion> get(String version) {
    if (!version.matches(PolicyVersion.VERSION_PATTERN)) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item =
        dynamoDb.getItem(g -> g.tableName(table).key(key(version)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
  }

  /** Every published version, newest publication first. */
  public List<PolicyVersion> list() {
    List<PolicyVersion> out = new ArrayList<>();
    dynamoDb
        .scanPaginator(s -> s.tableName(table).consistentRead(true))
        .items()
        .forEach(i -> out.add(fromItem(i)));
    out.sort(NEWEST_FIRST);
    return out;
  }

  /**
   * Every published version's name and dates, without its text: what a write's stamp needs, read in
   * as many bytes as there are versions, whatever their texts' length.
   */
  public List<Scheduled> schedule() {
    List<Scheduled> out = new ArrayList<>();
    Map<String, AttributeValue> from = null;
    do {
      Map<String, AttributeValue> start = from;
      ScanResponse page =
          dynamoDb.scan(
              s ->
                  s.tableName(table)
                      .consistentRead(true)
                      .projectionExpression("#v, #p, #e")
                      .expressionAttributeNames(
                          Map.of("#v", VERSION, "#p", PUBLISHED_AT, "#e", EFFECTIVE_FROM))
                      .exclusiveStartKey(start));
      for (Map<String, AttributeValue> i : page.items()) {
        out.add(
            new Scheduled(
                i.get(VERSION).s(),
                Instant.parse(i.get(PUBLISHED_AT).s()),
                Instant.parse(i.get(EFFECTIVE_FROM).s())));
      }
      from = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (from != null && !from.isEmpty());
    return out;
  }

  /** The version in force at {@code now}: of those already effective, the latest to take effect. */
  public static Optional<PolicyVersion> inForce(List<PolicyVersion> versions, Instant now) {
    return versions.stream()
        .filter(v -> v.effectiveAt(now))
        .max(Comparator.comparing(PolicyVersion::scheduled, IN_FORCE_ORDER));
  }

  /** The name of the version in force at {@code now}, of a {@link #schedule()}. */
  public static Optional<String> inForceName(List<Scheduled> schedule, Instant now) {
    return schedule.stream()
        .filter(v -> v.effectiveAt(now))
        .max(IN_FORCE_ORDER)
        .map(Scheduled::version);
  }

  /** The version in force at {@code now}, read from the table. */
  public Optional<PolicyVersion> inForce(Instant now) {
    return inForce(list(), now);
  }

  /**
   * Publishes a version (to go in one transaction with its audit record); the transaction fails its
   * condition when the version exists already, so a published text never changes.
   */
  public TransactWriteItem publishing(PolicyVersion version) {
    return TransactWriteItem.builder()
        .put(
            p ->
                p.tableName(table)
                    .item(toItem(version))
                    .conditionExpression("attribute_not_exists(pk)"))
        .build();
  }
}
