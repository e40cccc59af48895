package dev.custodian.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.analytics.AggregateItems;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Analytics ingest and statistics over HTTP through the local cloud. */
class AnalyticsRoutesIT {

  private static final String BROWSER =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0 Safari/537.36 canary-ua";
  private static final Map<String, String> OPERATOR =
      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());
  private final String prefix = "/it/" + UUID.randomUUID().toString().substring(0, 8);

  private ObjectNode batch(String visitorId, boolean consent) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("visitorId", visitorId);
    body.put("sessionId", "sess-" + UUID.randomUUID());
    body.putObject("consent").put("analytics", consent);
    body.putArray("events");
    return body;
  }

  private static void event(
      ObjectNode body, String type, String path, String productId, Instant at) {
    ObjectNode e = ((ArrayNode) body.get("events")).addObject();
    e.put("type", type);
    e.put("path", path);
    if (productId != null) {
      e.put("productId", productId);
    }
    e.put("occurredAt", at.toString());
  }

  private Response send(ObjectNode body, Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>(Map.of("user-agent", BROWSER));
    headers.putAll(extra);
    return api.post("/events", body, headers);
  }

  @Test
  void noConsent_globalPrivacyControl_doNotTrack_andBots_storeNothing() {
    Map<String, Integer> before = TableCounts.of(cloud);
    Instant now = Instant.now();
    ObjectNode refused = batch("visitor-" + UUID.randomUUID(), false);
    event(refused, "PAGE_VIEW", prefix + "/a", null, now);
    event(refused, "PAGE_VIEW", prefix + "/b", null, now);
    ObjectNode consented = batch("visitor-" + UUID.randomUUID(), true);
    event(consented, "PAGE_VIEW", prefix + "/a", null, now);

    for (Response response :
        new Response[] {
          send(refused, Map.of()),
          send(consented, Map.of("sec-gpc", "1")),
          send(consented, Map.of("dnt", "1")),
          send(consented, Map.of("user-agent", "Mozilla/5.0 (compatible; bingbot/2.0)")),
        }) {
      assertThat(response.status()).isEqualTo(202);
      assertThat(response.json().path("accepted").asInt()).isZero();
      assertThat(response.json().path("dropped").asInt()).isPositive();
    }
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
  }

  @Test
  void aStoredEvent_keepsNoIpNoUserAgentNoPathNoQueryString_andNoRawIds() {
    String visitorId = "visitor-canary-" + UUID.randomUUID();
    ObjectNode body = batch(visitorId, true);
    event(
        body,
        "PAGE_VIEW",
        prefix + "/p?email=jane%40example.com&utm_source=canary",
        null,
        Instant.now());

    Response response = send(body, Map.of());

    assertThat(response.json().path("accepted").asInt()).isEqualTo(1);
    String everything = TableCounts.dump(cloud);
    assertThat(everything)
        .as("the page is kept as its type only, never as the path sent")
        .doesNotContain(prefix)
        .doesNotContain("utm_source")
        .doesNotContain("jane%40example.com")
        .doesNotContain("canary-ua")
        .doesNotContain("127.0.0.1")
        .doesNotContain(visitorId)
        .doesNotContain(body.path("sessionId").asText());
  }

  private static long count(JsonNode day, String type, String page) {
    return day.path("events").path(type).path(page).asLong();
  }

  @Test
  void aggregates_countExactlyWhatWasAccepted_byPageType() {
    Instant now = Instant.now();
    String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    assertThat(cloud.awaitStreams(Duration.ofSeconds(20))).isTrue();
    JsonNode before = stats(day);
    String product = "TEA-001"; // in the local cloud's sample catalogue
    String madeUp = "jane.doe_example.com-" + UUID.randomUUID().toString().substring(0, 6);
    String alice = "visitor-" + UUID.randomUUID();
    ObjectNode first = batch(alice, true);
    event(first, "PAGE_VIEW", "/", null, now);
    event(first, "PAGE_VIEW", "/?x=1", null, now);
    event(first, "PRODUCT_VIEW", "/products/" + product, product, now);
    event(first, "PAGE_VIEW", "/basket", null, now.minusSeconds(2 * 86_400));
    ObjectNode second = batch(alice, true);
    event(second, "ADD_TO_CART", "/products/" + product, product, now);
    event(second, "PRODUCT_VIEW", "/products/" + product, product, now);
    ObjectNode bob = batch("visitor-" + UUID.randomUUID(), true);
    event(bob, "PAGE_VIEW", "/", null, now);
    event(bob, "PRODUCT_VIEW", "/products/x", madeUp, now); // not a catalogue product

    assertThat(send(first, Map.of()).json())
        .isEqualTo(Json.MAPPER.createObjectNode().put("accepted", 3).put("dropped", 1));
    assertThat(send(second, Map.of()).json().path("accepted").asInt()).isEqualTo(2);
    assertThat(send(bob, Map.of()).json().path("accepted").asInt()).isEqualTo(2);

    // counted from the events table's stream, off the request path
    assertThat(cloud.awaitStreams(Duration.ofSeconds(20))).isTrue();
    JsonNode today = stats(day);
    assertThat(count(today, "PAGE_VIEW", "home") - count(before, "PAGE_VIEW", "home")).isEqualTo(3);
    assertThat(count(today, "PRODUCT_VIEW", "product") - count(before, "PRODUCT_VIEW", "product"))
        .isEqualTo(3);
    assertThat(count(today, "ADD_TO_CART", "product") - count(before, "ADD_TO_CART", "product"))
        .isEqualTo(1);
    assertThat(count(today, "PAGE_VIEW", "basket")).isEqualTo(count(before, "PAGE_VIEW", "basket"));
    assertThat(
            today.path("productViews").path(product).asLong()
                - before.path("productViews").path(product).asLong())
        .isEqualTo(2);
    assertThat(
            today.path("productViews").path("other").asLong()
                - before.path("productViews").path("other").asLong())
        .as("a product id the catalogue does not have is counted as other")
        .isEqualTo(1);
    assertThat(today.toString()).doesNotContain(madeUp);
    assertThat(
            cloud
                .emulator()
                .dynamoDb()
                .scan(b -> b.tableName(cloud.ref("AnalyticsAggregatesTable")))
                .items()
                .toString())
        .as("a made-up product id is never aggregate text")
        .doesNotContain(madeUp);
    assertThat(today.path("uniqueVisitors").asLong() - before.path("uniqueVisitors").asLong())
        .isEqualTo(2);
  }

  @Test
  void aPathOutsideTheShopsPages_countsAsOther_andIsStoredNowhere() {
    Instant now = Instant.now();
    String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    assertThat(cloud.awaitStreams(Duration.ofSeconds(20))).isTrue();
    long before = count(stats(day), "PAGE_VIEW", "other");
    String secret = "/search/pregnancy-tests-" + UUID.randomUUID();
    ObjectNode body = batch("visitor-" + UUID.randomUUID(), true);
    event(body, "PAGE_VIEW", secret, null, now);
    assertThat(send(body, Map.of()).json().path("accepted").asInt()).isEqualTo(1);

    assertThat(cloud.awaitStreams(Duration.ofSeconds(20))).isTrue();
    JsonNode today = stats(day);
    assertThat(count(today, "PAGE_VIEW", "other") - before).isEqualTo(1);
    assertThat(today.toString()).doesNotContain("pregnancy");
    for (String table : List.of("AnalyticsEventsTable", "AnalyticsAggregatesTable")) {
      assertThat(
              cloud
                  .emulator()
                  .dynamoDb()
                  .scan(b -> b.tableName(cloud.ref(table)))
                  .items()
                  .toString())
          .as(table)
          .doesNotContain("pregnancy");
    }
  }

  @Test
  void manyDistinctPathsAndProducts_keepEveryAggregateItemSmall_andEveryAggregateExpires() {
    Instant now = Instant.now();
    String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    for (int batch = 0; batch < 12; batch++) {
      ObjectNode body = batch("visitor-" + UUID.randomUUID(), true);
      for (int i = 0; i < 25; i++) {
        String id = "X" + batch + "-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
        event(body, "PRODUCT_VIEW", "/" + "p".repeat(400) + "/" + id, id, now);
      }
      assertThat(send(body, Map.of()).json().path("accepted").asInt()).isEqualTo(25);
    }
    assertThat(cloud.awaitStreams(Duration.ofSeconds(60))).isTrue();
    List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
    for (String pk : AggregateItems.keysOf(LocalDate.parse(day))) {
      items.addAll(
          cloud
              .emulator()
              .dynamoDb()
              .query(
                  q ->
                      q.tableName(cloud.ref("AnalyticsAggregatesTable"))
                          .keyConditionExpression("pk = :pk")
                          .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
              .items());
    }
    // 300 made-up product ids: all counted as "other", none an item or a counter of its own
    assertThat(items).isNotEmpty().hasSizeLessThanOrEqualTo(AggregateItems.SHARDS);
    assertThat(items.toString()).doesNotContain("X0-").contains("p|other");
    for (Map<String, AttributeValue> item : items) {
      assertThat(item.toString().length()).as(item.get("sk").s()).isLessThan(4_000);
      assertThat(item).containsKey("expiresAt");
    }
  }

  @Test
  void theLongestStatsRange_isAnsweredWithinTheFunctionsTimeout_inFifteenReads() {
    LocalDate to = LocalDate.now(ZoneOffset.UTC);
    LocalDate from = to.minusDays(91); // 92 days: 1,472 counts items, 15 BatchGetItem calls
    String function = cloud.function("AnalyticsStatsFunction").name();
    cloud.proxy().reset();
    long started = System.nanoTime();
    Response response = api.get("/admin/stats?from=" + from + "&to=" + to, OPERATOR);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("days")).hasSize(92);
    assertThat(response.json().path("days").get(0).path("date").asText())
        .isEqualTo(from.toString());
    assertThat(response.json().path("days").get(91).path("date").asText()).isEqualTo(to.toString());
    assertThat((System.nanoTime() - started) / 1e9).as("seconds").isLessThan(10);
    // a hundred shard keys to a read, across days: not one read a day
    assertThat(cloud.proxy().count(function, "dynamodb"))
        .as(cloud.proxy().operations(function, "dynamodb"))
        .isEqualTo(15);
  }

  @Test
  void twentySixEvents_areRefused_andBadStatsRangesToo() {
    ObjectNode body = batch("visitor-" + UUID.randomUUID(), true);
    for (int i = 0; i < 26; i++) {
      event(body, "PAGE_VIEW", prefix + "/x", null, Instant.now());
    }
    Response tooMany = send(body, Map.of());
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().path("fields").get(0).path("field").asText()).isEqualTo("events");

    assertThat(api.get("/admin/stats?from=2026-01-01&to=2026-06-01", OPERATOR).status())
        .isEqualTo(400);
    assertThat(api.get("/admin/stats?from=2026-02-01&to=2026-01-01", OPERATOR).status())
        .isEqualTo(400);
    assertThat(api.get("/admin/stats?from=yesterday&to=today", OPERATOR).status()).isEqualTo(400);
    assertThat(api.get("/admin/stats?from=2026-01-01&to=2026-01-02", Map.of()).status())
        .isEqualTo(403);
  }

  private JsonNode stats(String day) {
    Response response = api.get("/admin/stats?from=" + day + "&to=" + day, OPERATOR);
    assertThat(response.status()).isEqualTo(200);
    return response.json().path("days").get(0);
  }
}
