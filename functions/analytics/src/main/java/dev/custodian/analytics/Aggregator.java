package dev.custodian.analytics;

import dev.custodian.core.analytics.AggregateItems;
import dev.custodian.core.crypto.Hashes;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.snapstart.Priming;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Counts the daily aggregates from the events table's stream, off the request path: per day, the
 * events by type and page type, the product views (an item per product, so no item grows with what
 * clients send), and the unique visitors. A visitor is new on a day when the ingest's marker of
 * that visitor-day is inserted (DynamoDB's stream says INSERT only for an item that did not exist),
 * so counting needs no read and no condition per visitor. A batch of stream records is applied
 * exactly once, however often it is delivered: its counts go in one transaction with a marker of
 * the batch (a redelivery finds the marker and stops). Each batch adds to one shard of the day (see
 * {@link AggregateItems}), so no partition key takes every batch's writes. The aggregates hold
 * counts only, and expire with their retention class.
 */
final class Aggregator {

  /**
   * One stream record to count: an event ({@code type} set), or the first sight of a visitor on a
   * day ({@code type} null).
   */
  record Event(String day, String type, String page, String productId) {

    static Event newVisitor(String day) {
      return new Event(day, null, null, null);
    }

    boolean isNewVisitor() {
      return type == null;
    }

    String viewedProduct() {
      return productId != null && "PRODUCT_VIEW".equals(type) ? productId : null;
    }
  }

  private static final int TRANSACTION_ITEMS = 100;
  private static final int ATTEMPTS = 5;
  private static final Duration BATCH_MARKER_LIFE = Duration.ofDays(3);

  private final DynamoDbClient dynamoDb;
  private final String aggregatesTable;
  private final RetentionRegistry retention;
  private final Clock clock;

  Aggregator(
      DynamoDbClient dynamoDb, String aggregatesTable, RetentionRegistry retention, Clock clock) {
    this.dynamoDb = dynamoDb;
    this.aggregatesTable = aggregatesTable;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Applies a batch: {@code recordIds} name its stream records (the same on every delivery), in the
   * order of {@code events}. Returns how many transactions it took.
   */
  int apply(List<String> recordIds, List<Event> events) {
    int transactions = 0;
    int from = 0;
    while (from < events.size()) {
      // A chunk fits one transaction: one update per aggregate item it adds to, and its marker.
      Set<String> touched = new LinkedHashSet<>();
      int to = from;
      while (to < events.size()) {
        Set<String> with = new LinkedHashSet<>(touched);
        with.addAll(itemsOf(events.get(to)));
        if (with.size() + 1 > TRANSACTION_ITEMS) {
          break;
        }
        touched = with;
        to++;
      }
      String chunkId = Hashes.sha256Hex(String.join(",", recordIds.subList(from, to)));
      transactions += applyChunk(chunkId, events.subList(from, to));
      from = to;
    }
    return transactions;
  }

  /** The SDK's first call, before a SnapStart snapshot. */
  void prime() {
    Priming.touch(dynamoDb, aggregatesTable);
  }

  /** The aggregate items an event adds to: its day's counts, and its product's views. */
  private static List<String> itemsOf(Event e) {
    return e.viewedProduct() == null
        ? List.of(e.day())
        : List.of(e.day(), e.day() + "|" + e.viewedProduct());
  }

  private int applyChunk(String chunkId, List<Event> events) {
    Map<String, Map<String, Long>> counters = new TreeMap<>(); // day -> counter -> n
    Map<String, Long> productViews = new TreeMap<>(); // day|product -> views
    for (Event e : events) {
      Map<String, Long> day = counters.computeIfAbsent(e.day(), d -> new TreeMap<>());
      if (e.isNewVisitor()) {
        day.merge(AggregateItems.UNIQUE_VISITORS, 1L, Long::sum);
        continue;
      }
      day.merge(AggregateItems.eventCounter(e.type(), e.page()), 1L, Long::sum);
      if (e.viewedProduct() != null) {
        productViews.merge(e.day() + "|" + e.viewedProduct(), 1L, Long::sum);
      }
    }
    int shard = AggregateItems.shardOf(chunkId);
    Instant now = clock.instant();
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(batchMarker(chunkId, now));
    for (Map.Entry<String, Map<String, Long>> day : counters.entrySet()) {
      writes.add(update(day.getKey(), shard, AggregateItems.COUNTS, day.getValue(), now));
    }
    for (Map.Entry<String, Long> product : productViews.entrySet()) {
      String[] dayAndProduct = product.getKey().split("\\|", 2);
      writes.add(
          update(
              dayAndProduct[0],
              shard,
              AggregateItems.PRODUCT_PREFIX + dayAndProduct[1],
              Map.of(AggregateItems.VIEWS, product.getValue()),
              now));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        dynamoDb.transactWriteItems(b -> b.transactItems(writes));
        return attempt;
      } catch (TransactionCanceledException e) {
        if (Cancellations.conditionFailedAt(e, 0)) {
          return attempt - 1; // this batch was applied by an earlier delivery
        }
        if (!Cancellations.any(e, Cancellations.CONFLICT) || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private TransactWriteItem batchMarker(String chunkId, Instant now) {
    return TransactWriteItem.builder()
        .put(
            p ->
                p.tableName(aggregatesTable)
                    .item(
                        Map.of(
                            "pk",
                            AttributeValue.fromS(AggregateItems.appliedKey(chunkId)),
                            "sk",
                            AttributeValue.fromS("batch"),
                            RetentionRegistry.EXPIRES_AT,
                            AttributeValue.fromN(
                                Long.toString(now.plus(BATCH_MARKER_LIFE).getEpochSecond()))))
                    .conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  /**
   * Adds to one aggregate item of a day's shard: {@link AggregateItems#COUNTS} or a product's; the
   * item's expiry is set when it is made.
   */
  private TransactWriteItem update(
      String day, int shard, String sk, Map<String, Long> counts, Instant now) {
    StringBuilder expression = new StringBuilder("ADD ");
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    int i = 0;
    for (Map.Entry<String, Long> count : counts.entrySet()) {
      expression.append(i > 0 ? ", " : "").append("#a").append(i).append(" :v").append(i);
      names.put("#a" + i, count.getKey());
      values.put(":v" + i, AttributeValue.fromN(Long.toString(count.getValue())));
      i++;
    }
    retention
        .expiresAt(DataClass.ANALYTICS_AGGREGATE, now)
        .ifPresent(
            epoch -> {
              expression.append(" SET #exp = if_not_exists(#exp, :exp)");
              names.put("#exp", RetentionRegistry.EXPIRES_AT);
              values.put(":exp", AttributeValue.fromN(Long.toString(epoch)));
            });
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(aggregatesTable)
                    .key(
                        Map.of(
                            "pk", AttributeValue.fromS(AggregateItems.shardKey(day, shard)),
                            "sk", AttributeValue.fromS(sk)))
                    .updateExpression(expression.toString())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values))
        .build();
  }
}
