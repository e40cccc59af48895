package dev.custodian.core.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of the aggregates table, in one place: a day's counts are spread over {@link #SHARDS}
 * counts items ({@code pk = day#<date>#<shard>}, {@code sk = counts}). Every batch of the stream
 * adds to one shard only (chosen from the batch, so a redelivery lands on the same one), which
 * keeps any partition key far below DynamoDB's per-partition write limit at the event rates of
 * {@code docs/capacity.md}; the statistics route reads a day's shards with one {@code BatchGetItem}
 * and sums them. A counts item holds counters only, named from fixed sets: events by type and page
 * type ({@code e|TYPE|pageType}), product views by catalogue SKU ({@code p|SKU}, any other product
 * id under {@code p|other}: no text a client made up is ever stored here), and the visitors seen
 * first that day. So its size is bounded by the catalogue.
 */
public final class AggregateItems {

  /** How many partition keys share a day's counts (see docs/capacity.md for the arithmetic). */
  public static final int SHARDS = 16;

  /** The sort key of a shard's counts item. */
  public static final String COUNTS = "counts";

  /** The counter of a shard's counts item for the visitors seen first that day. */
  public static final String UNIQUE_VISITORS = "uniqueVisitors";

  /** The counter prefix of events by type and page type: {@code e|TYPE|pageType}. */
  public static final String EVENT_COUNTER_PREFIX = "e|";

  /** The counter prefix of product views: {@code p|SKU}. */
  public static final String PRODUCT_COUNTER_PREFIX = "p|";

  /** Where views of a product id the catalogue does not have are counted. */
  public static final String OTHER_PRODUCT = "other";

  private AggregateItems() {}

  /** The partition key of one shard of a day. */
  public static String shardKey(String day, int shard) {
    return "day#" + day + "#" + shard;
  }

  /** The partition keys of a day's shards. */
  public static List<String> keysOf(LocalDate day) {
    List<String> keys = new ArrayList<>(SHARDS);
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

  public static String productCounter(String sku) {
    return PRODUCT_COUNTER_PREFIX + sku;
  }

  /** The partition key of the marker that a batch was counted. */
  public static String appliedKey(String batchId) {
    return "applied#" + batchId;
  }
}
