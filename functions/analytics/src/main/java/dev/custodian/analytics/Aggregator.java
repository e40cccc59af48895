package dev.custodian.analytics;

import dev.custodian.core.analytics.AggregateItems;
import dev.custodian.core.catalogue.PriceList;
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
import java.util.HashSet;
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
 * events by type and page type, the views of each catalogue product (a product id the catalogue
 * does not have is counted as {@code other}: no text a client made up reaches the aggregates), and
 * the unique visitors. A visitor is new on a day when the ingest's marker of that visitor-day is
 * inserted (DynamoDB's stream says INSERT only for an item that did not exist), so counting needs
 * no read and no condition per visitor. A batch of stream records is applied exactly once, however
 * often the same batch is delivered: its counts go in one transaction with a marker of the batch's
 * record ids (a redelivery finds the marker and stops). That holds for a batch delivered again as
 * it was, which is what Lambda does with this event source's settings (no bisecting on error); a
 * batch split or regrouped differently would be counted again. Each batch adds to one shard of the
 * day (see {@link AggregateItems}), so no partition key takes every batch's writes. The aggregates
 * hold counts only, and expire with their retention class.
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

  /** The counters a chunk may add to one day's item (an update expression stays under 4 KB). */
  private static final int COUNTERS_PER_CHUNK = 150;

  private static final int ATTEMPTS = 5;
  private static final Duration BATCH_MARKER_LIFE = Duration.ofDays(3);

  private final DynamoDbClient dynamoDb;
  private final String aggregatesTable;
  private final PriceList catalogue;
  private final RetentionRegistry retention;
  private final Clock clock;

  Aggregator(
      DynamoDbClient dynamoDb,
      String aggregatesTable,
      PriceList catalogue,
      RetentionRegistry retention,
      Clock clock) {
    this.dynamoDb = dynamoDb;
    this.aggregatesTable = aggregatesTable;
    this.catalogue = catalogue;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Applies a batch: {@code recordIds} name its stream records (the same on every delivery), in the
   * order of {@code events}. Returns how many transactions it took.
   */
  int apply(List<String> recordIds, List<Event> events) {
    Set<String> viewed = new HashSet<>();
    for (Event e : events) {
      if (e.viewedProduct() != null) {
        viewed.add(e.viewedProduct());
      }
    }
    Set<String> known = new HashSet<>();
    catalogue.products(viewed).forEach((sku, product) -> product.ifPresent(p -> known.add(sku)));
    int transactions = 0;
    int from = 0;
    while (from < events.size()) {
      // A chunk is one transaction: one update per day it adds to, and its marker.
      Map<String, Set<String>> counters = new HashMap<>();
      int to = from;
      while (to < events.size()) {
        Event e = events.get(to);
        Set<String> day = counters.computeIfAbsent(e.day(), d -> new HashSet<>());
        List<String> adds = countersOf(e, known);
        if (!day.containsAll(adds) && day.size() + adds.size() > COUNTERS_PER_CHUNK) {
          break;
        }
        day.addAll(adds);
        to++;
      }
      String chunkId = Hashes.sha256Hex(String.join(",", recordIds.subList(from, to)));
      transactions += applyChunk(chunkId, events.subList(from, to), known);
      from = to;
    }
    return transactions;
  }

  /** The SDK's first call, before a SnapStart snapshot. */
  void prime() {
    Priming.touch(dynamoDb, aggregatesTable);
  }

  /** The counters one record adds one to. */
  private static List<String> countersOf(Event e, Set<String> knownProducts) {
    if (e.isNewVisitor()) {
      return List.of(AggregateItems.UNIQUE_VISITORS);
    }
    String event = AggregateItems.eventCounter(e.type(), e.page());
    if (e.viewedProduct() == null) {
      return List.of(event);
    }
    String product =
        knownProducts.contains(e.viewedProduct())
            ? e.viewedProduct()
            : AggregateItems.OTHER_PRODUCT;
    return List.of(event, AggregateItems.productCounter(product));
  }

  private int applyChunk(String chunkId, List<Event> events, Set<String> knownProducts) {
    Map<String, Map<String, Long>> counters = new TreeMap<>(); // day -> counter -> n
    for (Event e : events) {
      Map<String, Long> day = counters.computeIfAbsent(e.day(), d -> new TreeMap<>());
      for (String counter : countersOf(e, knownProducts)) {
        day.merge(counter, 1L, Long::sum);
      }
    }
    int shard = AggregateItems.shardOf(chunkId);
    Instant now = clock.instant();
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(batchMarker(chunkId, now));
    for (Map.Entry<String, Map<String, Long>> day : counters.entrySet()) {
      writes.add(update(day.getKey(), shard, day.getValue(), now));
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

  /** Adds to the counts item of a day's shard; the item's expiry is set when it is made. */
  private TransactWriteItem update(String day, int shard, Map<String, Long> counts, Instant now) {
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
                            "sk", AttributeValue.fromS(AggregateItems.COUNTS)))
                    .updateExpression(expression.toString())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values))
        .build();
  }
}
