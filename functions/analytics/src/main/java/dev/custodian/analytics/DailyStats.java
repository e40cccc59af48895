package dev.custodian.analytics;

import dev.custodian.core.analytics.AggregateItems;
import dev.custodian.core.dynamo.BatchReader;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.retention.RetentionRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /admin/stats}: the daily aggregates between two dates, each day's shards summed (see
 * {@link AggregateItems}): sixteen counts items a day, the whole range's keys read a hundred to a
 * {@code BatchGetItem}, so the longest range (92 days) is 15 calls, not one call a day. Counts
 * only: nothing here names a visitor or holds a path or a product id a browser made up.
 */
final class DailyStats {

  private static final int MAX_RANGE_DAYS = 92;

  private final BatchReader reader;
  private final String aggregatesTable;
  private final Clock clock;

  DailyStats(DynamoDbClient dynamoDb, String aggregatesTable, Clock clock) {
    this.reader = new BatchReader(dynamoDb);
    this.aggregatesTable = aggregatesTable;
    this.clock = clock;
  }

  /** The daily aggregates between two dates (at most 92 days). */
  Map<String, Object> between(String fromText, String toText) {
    LocalDate from;
    LocalDate to;
    try {
      from = LocalDate.parse(fromText == null ? "" : fromText);
      to = LocalDate.parse(toText == null ? "" : toText);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("from,to", "must be dates as YYYY-MM-DD");
    }
    if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_RANGE_DAYS) {
      throw ApiException.invalid(
          "from,to", "must be a range of 1 to " + MAX_RANGE_DAYS + " days, from <= to");
    }
    // every shard of every day in one key list: the reader asks for a hundred at a time
    Map<String, LocalDate> dayOfKey = new LinkedHashMap<>();
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    Map<LocalDate, DayTotals> totals = new TreeMap<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      totals.put(day, new DayTotals());
      for (String pk : AggregateItems.keysOf(day)) {
        dayOfKey.put(pk, day);
        keys.add(
            Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(AggregateItems.COUNTS)));
      }
    }
    Instant now = clock.instant();
    for (Map<String, AttributeValue> item : reader.getAll(aggregatesTable, keys)) {
      LocalDate day = dayOfKey.get(item.get("pk").s());
      if (day != null && RetentionRegistry.isLive(item, now)) {
        totals.get(day).add(item);
      }
    }
    List<Map<String, Object>> days = new ArrayList<>();
    totals.forEach((day, sum) -> days.add(sum.toJson(day)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("from", from.toString());
    out.put("to", to.toString());
    out.put("days", days);
    return out;
  }

  /** One day's shards summed. */
  private static final class DayTotals {
    private long visitors;
    private final Map<String, Map<String, Long>> events = new TreeMap<>();
    private final Map<String, Long> productViews = new TreeMap<>();

    void add(Map<String, AttributeValue> item) {
      for (Map.Entry<String, AttributeValue> counter : item.entrySet()) {
        String name = counter.getKey();
        if (counter.getValue().n() == null || name.equals(RetentionRegistry.EXPIRES_AT)) {
          continue;
        }
        long n = Long.parseLong(counter.getValue().n());
        if (name.equals(AggregateItems.UNIQUE_VISITORS)) {
          visitors += n;
        } else if (name.startsWith(AggregateItems.PRODUCT_COUNTER_PREFIX)) {
          productViews.merge(
              name.substring(AggregateItems.PRODUCT_COUNTER_PREFIX.length()), n, Long::sum);
        } else if (name.startsWith(AggregateItems.EVENT_COUNTER_PREFIX)) {
          int bar = name.indexOf('|', AggregateItems.EVENT_COUNTER_PREFIX.length());
          events
              .computeIfAbsent(
                  name.substring(AggregateItems.EVENT_COUNTER_PREFIX.length(), bar),
                  t -> new TreeMap<>())
              .merge(name.substring(bar + 1), n, Long::sum);
        }
      }
    }

    Map<String, Object> toJson(LocalDate day) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("date", day.toString());
      out.put("uniqueVisitors", visitors);
      out.put("events", events);
      out.put("productViews", productViews);
      return out;
    }
  }
}
