package dev.custodian.analytics;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.array;
import static dev.custodian.core.validation.Types.bool;
import static dev.custodian.core.validation.Types.instant;
import static dev.custodian.core.validation.Types.matching;
import static dev.custodian.core.validation.Types.oneOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.analytics.VisitorPseudonyms;
import dev.custodian.core.cache.ExpiringCache;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.dynamo.BatchWriter;
import dev.custodian.core.log.Log;
import dev.custodian.core.log.Metrics;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.snapstart.Priming;
import dev.custodian.core.validation.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Analytics without surveillance (docs/privacy.md, "Analytics without surveillance"): nothing is
 * kept without consent, or when the browser asks not to be tracked (Sec-GPC, DNT), or from bots;
 * what is kept is pseudonymous — keyed hashes of the visitor and session ids, the page without its
 * query string, a device class and browser family — never the IP address or the user agent. Daily
 * aggregates hold counts only.
 */
final class AnalyticsService {

  static final Schema BATCH =
      object()
          .required("visitorId", matching(8, 128, "[A-Za-z0-9_-]+", "an opaque id"))
          .required("sessionId", matching(8, 128, "[A-Za-z0-9_-]+", "an opaque id"))
          .required("consent", object().required("analytics", bool()))
          .required(
              "events",
              array(
                  object()
                      .required(
                          "type",
                          oneOf(
                              "PAGE_VIEW",
                              "PRODUCT_VIEW",
                              "ADD_TO_CART",
                              "CHECKOUT_START",
                              "SEARCH"))
                      .required("path", matching(1, 512, "/\\S*", "a site path starting with /"))
                      .optional("productId", matching(1, 64, "[A-Za-z0-9._-]+", "a product id"))
                      .required("occurredAt", instant()),
                  1,
                  25));

  private static final Duration OLDEST = Duration.ofHours(24);
  private static final Duration SKEW = Duration.ofMinutes(5);

  /**
   * The sort key prefix of a visitor-day marker ({@code visitor#<pseudonym>}, {@code day#<date>}):
   * written with each batch of that day, it is inserted only once, and that insert in the table's
   * stream is how the aggregator counts a unique visitor (see {@link Aggregator}).
   */
  static final String VISITOR_DAY_PREFIX = "day#";

  private final DynamoDbClient dynamoDb;
  private final String eventsTable;
  private final PageTypes pageTypes;
  private final Supplier<BlindIndex> pseudonyms;
  private final RetentionRegistry retention;
  private final PolicyStamp policy;
  private final BatchWriter writer;
  private final Clock clock;

  /** The visitor-days whose marker this container wrote lately (pseudonyms, memory only). */
  private final ExpiringCache<Boolean> markedHere;

  AnalyticsService(
      DynamoDbClient dynamoDb,
      String eventsTable,
      PageTypes pageTypes,
      Supplier<BlindIndex> pseudonyms,
      RetentionRegistry retention,
      PolicyStamp policy,
      Clock clock) {
    this.policy = policy;
    this.dynamoDb = dynamoDb;
    this.eventsTable = eventsTable;
    this.pageTypes = pageTypes;
    this.pseudonyms = pseudonyms;
    this.retention = retention;
    this.writer = new BatchWriter(dynamoDb);
    this.clock = clock;
    this.markedHere = new ExpiringCache<>(10_000, Duration.ofMinutes(10), clock);
  }

  /** The SDK's first call, before a SnapStart snapshot. */
  void prime() {
    Priming.touch(dynamoDb, eventsTable);
  }

  /** How many events of a batch were kept and how many dropped. */
  record Outcome(int accepted, int dropped) {}

  /** Why a whole batch is dropped, or null when it may be kept. */
  static String refusal(JsonNode body, Map<String, String> headers) {
    if (!body.path("consent").path("analytics").asBoolean(false)) {
      return "no-consent";
    }
    if ("1".equals(headers.get("sec-gpc"))) {
      return "global-privacy-control";
    }
    if ("1".equals(headers.get("dnt"))) {
      return "do-not-track";
    }
    if (UserAgents.isBot(headers.get("user-agent"))) {
      return "bot";
    }
    return null;
  }

  /**
   * The refused events, by reason (no-consent becomes NO_CONSENT): a constant, never the visitor.
   */
  private static void refused(int events, String reason) {
    Metrics.count(
        "AnalyticsEventsRefused",
        events,
        Map.of("Reason", reason.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
  }

  Outcome ingest(JsonNode body, Map<String, String> headers) {
    int total = body.get("events").size();
    String refusal = refusal(body, headers);
    if (refusal != null) {
      Log.info("analytics batch dropped", "reason", refusal, "events", total);
      refused(total, refusal);
      return new Outcome(0, total);
    }
    Instant now = clock.instant();
    BlindIndex index = pseudonyms.get();
    String visitor = VisitorPseudonyms.of(index, body.get("visitorId").asText());
    String session = index.of("session", body.get("sessionId").asText());
    String userAgent = headers.get("user-agent");
    String device = UserAgents.deviceClass(userAgent);
    String browser = UserAgents.browserFamily(userAgent);
    AttributeValue expiresAt = retention.expiresAtAttribute(DataClass.ANALYTICS_EVENT, now);
    // The consent of these events was given under the version in force now
    // (docs/architecture.md#privacy-policy-versions).
    AttributeValue policyVersion = AttributeValue.fromS(policy.current());

    List<Map<String, AttributeValue>> items = new ArrayList<>();
    for (JsonNode event : body.get("events")) {
      Instant at = Instant.parse(event.get("occurredAt").asText());
      if (at.isBefore(now.minus(OLDEST)) || at.isAfter(now.plus(SKEW))) {
        continue;
      }
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("pk", AttributeValue.fromS("visitor#" + visitor));
      item.put(
          "sk",
          AttributeValue.fromS(
              "event#"
                  + at.truncatedTo(ChronoUnit.MILLIS)
                  + "#"
                  + Long.toHexString(ThreadLocalRandom.current().nextLong())));
      item.put("session", AttributeValue.fromS(session));
      item.put("type", AttributeValue.fromS(event.get("type").asText()));
      // The page's type only: the path itself (a search, an order number) is never kept.
      item.put(
          "page", AttributeValue.fromS(pageTypes.typeOf(withoutQuery(event.get("path").asText()))));
      item.put("day", AttributeValue.fromS(LocalDate.ofInstant(at, ZoneOffset.UTC).toString()));
      item.put("device", AttributeValue.fromS(device));
      item.put("browser", AttributeValue.fromS(browser));
      item.put(RetentionRegistry.EXPIRES_AT, expiresAt);
      item.put("policyVersion", policyVersion);
      if (event.hasNonNull("productId")) {
        item.put("productId", AttributeValue.fromS(event.get("productId").asText()));
      }
      items.add(item);
    }
    int events = items.size();
    List<String> marked = new ArrayList<>();
    for (String day : days(items)) {
      // A full batch of 25 events skips a marker this container wrote in the last ten minutes, so
      // that it stays one BatchWriteItem; any other batch writes it (re-writing an unchanged item
      // costs no stream record, and a marker a forget deleted comes back: the visitor counts anew).
      if (events < BatchWriter.BATCH || markedHere.get(visitor + "|" + day).isEmpty()) {
        items.add(visitorDay(visitor, day));
        marked.add(visitor + "|" + day);
      }
    }
    // The daily aggregates are counted from the table's stream by the aggregator, off the request
    // path (see Aggregator).
    writer.putAll(eventsTable, items);
    marked.forEach(visitorDay -> markedHere.put(visitorDay, Boolean.TRUE));
    Log.info("analytics batch stored", "accepted", events, "dropped", total - events);
    Metrics.count("AnalyticsEventsAccepted", events, Map.of());
    if (events < total) {
      refused(total - events, "out-of-time");
    }
    return new Outcome(events, total - events);
  }

  /** The days of the events in a batch, in order. */
  private static Set<String> days(List<Map<String, AttributeValue>> events) {
    Set<String> days = new TreeSet<>();
    for (Map<String, AttributeValue> event : events) {
      days.add(event.get("day").s());
    }
    return days;
  }

  /**
   * The marker that a visitor was seen on a day. Its content depends only on the visitor and the
   * day, so writing it again changes nothing (DynamoDB then writes no stream record at all; an
   * emulator may write a MODIFY, which the aggregator ignores). It lives as long as an event of
   * that day, counted from the day's end.
   */
  private Map<String, AttributeValue> visitorDay(String visitor, String day) {
    Instant dayEnd = LocalDate.parse(day).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return Map.of(
        "pk",
        AttributeValue.fromS("visitor#" + visitor),
        "sk",
        AttributeValue.fromS(VISITOR_DAY_PREFIX + day),
        RetentionRegistry.EXPIRES_AT,
        retention.expiresAtAttribute(DataClass.ANALYTICS_EVENT, dayEnd));
  }

  /** Query strings carry emails, tokens and campaign ids: only the path is kept. */
  static String withoutQuery(String path) {
    int cut = path.length();
    int query = path.indexOf('?');
    int fragment = path.indexOf('#');
    if (query >= 0) {
      cut = query;
    }
    if (fragment >= 0 && fragment < cut) {
      cut = fragment;
    }
    return path.substring(0, cut);
  }
}
