package dev.custodian.analytics;

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
import java.util.LinkedHashMap;
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
 * clients send), and the unique visitors; the counts item's attributes come from fixed sets only,
 * so its size is bounded. Aggregates expire with their retention class. A batch of stream records
 * is applied exactly once, however often it is delivered: its counts go in one transaction with a
 * marker of the batch (a redelivery finds the marker and stops), and each visitor-day is counted
 * through a conditional marker item in the same transaction (a visitor already counted that day
 * fails its condition; the transaction is retried without them). Markers of visitors are
 * pseudonymous and expire with the events; the aggregates hold counts only.
 */
final class Aggregator {

  /** One stored analytics event, as the stream shows it. */
  record Event(String visitor, String day, String type, String page, String productId) {}

  /** The sort key of a day's counts item (events by type and page type, unique visitors). */
  static final String COUNTS = "counts";

  /** The sort key prefix of a day's item for one product's views. */
  static final String PRODUCT_PREFIX = "product#";

  private static final int TRANSACTION_ITEMS = 100;
  private static final int ATTEMPTS = 5;
  private static final Duration BATCH_MARKER_LIFE = Duration.ofDays(3);

  private final DynamoDbClient dynamoDb;
  private final String eventsTable;
  private final String aggregatesTable;
  private final RetentionRegistry retention;
  private final Clock clock;

  Aggregator(
      DynamoDbClient dynamoDb,
      String eventsTable,
      String aggregatesTable,
      RetentionRegistry retention,
      Clock clock) {
    this.dynamoDb = dynamoDb;
    this.eventsTable = eventsTable;
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
      // A chunk fits one transaction: its visitor-day markers, one update a day, the batch marker.
      Set<String> visitorDays = new LinkedHashSet<>();
      Set<String> updated = new LinkedHashSet<>(); // the days' counts and products' items
      int to = from;
      while (to < events.size()) {
        Event e = events.get(to);
        int markers = visitorDays.size() + (visitorDays.contains(key(e)) ? 0 : 1);
        Set<String> touched = new LinkedHashSet<>(updated);
        touched.addAll(itemsOf(e));
        if (markers + touched.size() + 1 > TRANSACTION_ITEMS) {
          break;
        }
        visitorDays.add(key(e));
        updated.addAll(touched);
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

  private static String key(Event e) {
    return e.visitor() + "|" + e.day();
  }

  /** The aggregate items an event adds to: its day's counts, and its product's views. */
  private static List<String> itemsOf(Event e) {
    return viewedProduct(e) == null
        ? List.of(e.day())
        : List.of(e.day(), e.day() + "|" + viewedProduct(e));
  }

  private static String viewedProduct(Event e) {
    return e.productId() != null && e.type().equals("PRODUCT_VIEW") ? e.productId() : null;
  }

  private int applyChunk(String chunkId, List<Event> events) {
    Map<String, Map<String, Long>> counters = new TreeMap<>();
    Map<String, Long> productViews = new TreeMap<>(); // day|product -> views
    Map<String, String> newVisitorDays = new LinkedHashMap<>(); // visitor|day -> day
    for (Event e : events) {
      Map<String, Long> day = counters.computeIfAbsent(e.day(), d -> new TreeMap<>());
      day.merge("e|" + e.type() + "|" + e.page(), 1L, Long::sum);
      if (viewedProduct(e) != null) {
        productViews.merge(e.day() + "|" + viewedProduct(e), 1L, Long::sum);
      }
      newVisitorDays.put(key(e), e.day());
    }
    Instant now = clock.instant();
    for (int attempt = 1; ; attempt++) {
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(batchMarker(chunkId, now));
      List<String> markerOrder = new ArrayList<>(newVisitorDays.keySet());
      for (String visitorDay : markerOrder) {
        writes.add(visitorMarker(visitorDay, now));
      }
      for (Map.Entry<String, Map<String, Long>> day : counters.entrySet()) {
        Map<String, Long> add = new TreeMap<>(day.getValue());
        long visitors = newVisitorDays.values().stream().filter(day.getKey()::equals).count();
        if (visitors > 0) {
          add.put("uniqueVisitors", visitors);
        }
        writes.add(update(day.getKey(), COUNTS, add, now));
      }
      for (Map.Entry<String, Long> product : productViews.entrySet()) {
        String[] dayAndProduct = product.getKey().split("\\|", 2);
        writes.add(
            update(
                dayAndProduct[0],
                PRODUCT_PREFIX + dayAndProduct[1],
                Map.of("views", product.getValue()),
                now));
      }
      try {
        dynamoDb.transactWriteItems(b -> b.transactItems(writes));
        return attempt;
      } catch (TransactionCanceledException e) {
        if (Cancellations.conditionFailedAt(e, 0)) {
          return attempt - 1; // this batch was applied by an earlier delivery
        }
        boolean retry = false;
        for (int i = 0; i < markerOrder.size(); i++) {
          if (Cancellations.conditionFailedAt(e, i + 1)) {
            newVisitorDays.remove(markerOrder.get(i)); // counted earlier that day
            retry = true;
          }
        }
        retry |= Cancellations.any(e, Cancellations.CONFLICT);
        if (!retry || attempt >= ATTEMPTS) {
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
                            AttributeValue.fromS("applied#" + chunkId),
                            "sk",
                            AttributeValue.fromS("batch"),
                            RetentionRegistry.EXPIRES_AT,
                            AttributeValue.fromN(
                                Long.toString(now.plus(BATCH_MARKER_LIFE).getEpochSecond()))))
                    .conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  private TransactWriteItem visitorMarker(String visitorDay, Instant now) {
    int bar = visitorDay.lastIndexOf('|');
    return TransactWriteItem.builder()
        .put(
            p ->
                p.tableName(eventsTable)
                    .item(
                        Map.of(
                            "pk",
                            AttributeValue.fromS("visitor#" + visitorDay.substring(0, bar)),
                            "sk",
                            AttributeValue.fromS("day#" + visitorDay.substring(bar + 1)),
                            RetentionRegistry.EXPIRES_AT,
                            retention.expiresAtAttribute(DataClass.ANALYTICS_EVENT, now)))
                    .conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  /**
   * Adds to one aggregate item of a day: {@link #COUNTS} (counter names {@code e|TYPE|pageType} and
   * {@code uniqueVisitors}) or a product's ({@code views}); the item's expiry is set when it is
   * made.
   */
  private TransactWriteItem update(String day, String sk, Map<String, Long> counts, Instant now) {
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
                            "pk", AttributeValue.fromS("day#" + day),
                            "sk", AttributeValue.fromS(sk)))
                    .updateExpression(expression.toString())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values))
        .build();
  }
}
