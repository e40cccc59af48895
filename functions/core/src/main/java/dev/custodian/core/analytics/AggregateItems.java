package dev.custodian.core.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of the aggregates table, in one place: a day's counts are spread over {@link #SHARDS}
 * partition keys ({@code day#<date>#<shard>}), each holding a counts item and one small item per
 * product viewed. Every batch of the stream adds to one shard only (chosen from the batch, so a
 * redelivery lands on the same one), which keeps any partition key far below DynamoDB's
 * per-partition write limit at the event rates of {@code docs/capacity.md}; the statistics route
 * merges the shards, and the capacity model (infra/bench) divides a day's load by them. Days
 * counted before the counts were sharded sit under {@code day#<date>}, which the route reads too.
 */
public final class AggregateItems {

  /** How many partition keys share a day's counts (see docs/capacity.md for the arithmetic). */
  public static final int SHARDS = 16;

  /** The sort key of a shard's counts item (events by type and page type, unique visitors). */
  public static final String COUNTS = "counts";

  /** The sort key prefix of a shard's item for one product's views. */
  public static final String PRODUCT_PREFIX = "product#";

  /** The counter of a shard's counts item for the visitors seen first that day. */
  public static final String UNIQUE_VISITORS = "uniqueVisitors";

  /** The counter prefix of events by type and page type: {@code e|TYPE|pageType}. */
  public static final String EVENT_COUNTER_PREFIX = "e|";

  /** The attribute of a product item holding its views. */
  public static final String VIEWS = "views";

  private AggregateItems() {}

  /** The partition key of one shard of a day. */
  public static String shardKey(String day, int shard) {
    return "day#" + day + "#" + shard;
  }

  /** Every partition key that may hold a day's counts: the unsharded one, then each shard's. */
  public static List<String> keysOf(LocalDate day) {
    List<String> keys = new ArrayList<>(SHARDS + 1);
    keys.add("day#" + day);
    for (int shard = 0; shard < SHARDS; shard++) {
      keys.add(shardKey(day.toString(), shard));
    }
    return keys;
  }

  /** The shard a batch adds to, from its id: the same batch always lands on the same shard. */
  public static int shardOf(String batchId) {
    return Math.floorMod(batchId.hashCode(), SHARDS);
  }

  public static String eventCounter(String type, String page) {
    return EVENT_COUNTER_PREFIX + type + "|" + page;
  }

  /** The partition key of the marker that a batch was counted. */
  public static String appliedKey(String batchId) {
    return "applied#" + batchId;
  }
}
