package dev.custodian.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.analytics.AggregateItems;
import dev.custodian.core.json.Json;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stream consumer, invoked directly with stream events: a batch delivered again (or
 * concurrently) counts once, a visitor counts when their day marker is new, what is not a new event
 * or marker is ignored, and a day's batches spread over its shards.
 */
class AggregatorIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final String day = "2020-01-0" + (1 + (int) (Math.random() * 9));
  private final String page = "product";

  @Test
  void aBatchDeliveredTwice_countsOnce_andAVisitorOnlyWhenTheirDayMarkerIsNew() throws Exception {
    long visitorsBefore = counter(AggregateItems.UNIQUE_VISITORS);
    long viewsBefore = counter("e|PAGE_VIEW|" + page);
    String alice = "p-" + UUID.randomUUID();
    String bob = "p-" + UUID.randomUUID();
    ObjectNode first = streamEvent();
    record(first, "INSERT", alice, "event#1", "PAGE_VIEW");
    record(first, "INSERT", alice, "event#2", "PAGE_VIEW");
    record(first, "INSERT", bob, "event#3", "PAGE_VIEW");
    record(first, "INSERT", alice, "day#" + day, null); // alice's first sight that day
    record(first, "INSERT", bob, "day#" + day, null);
    record(first, "REMOVE", bob, "event#0", "PAGE_VIEW"); // a TTL delete: not counted
    String json = first.toString();

    cloud.invoke("AnalyticsAggregatorFunction", json);
    cloud.invoke("AnalyticsAggregatorFunction", json); // Lambda delivers a batch again

    assertThat(counter("e|PAGE_VIEW|" + page) - viewsBefore).isEqualTo(3);
    assertThat(counter(AggregateItems.UNIQUE_VISITORS) - visitorsBefore).isEqualTo(2);

    ObjectNode later = streamEvent();
    record(later, "INSERT", alice, "event#4", "PAGE_VIEW");
    record(later, "MODIFY", alice, "day#" + day, null); // her marker written again
    record(later, "REMOVE", bob, "day#" + day, null); // bob forgotten
    cloud.invoke("AnalyticsAggregatorFunction", later.toString());

    assertThat(counter("e|PAGE_VIEW|" + page) - viewsBefore).isEqualTo(4);
    assertThat(counter(AggregateItems.UNIQUE_VISITORS) - visitorsBefore)
        .as("alice was counted that day already")
        .isEqualTo(2);
  }

  @Test
  void manyBatches_spreadOverTheDaysShards_andTheStatsRouteMergesThem() throws Exception {
    String otherDay = "2019-12-" + (10 + (int) (Math.random() * 18));
    for (int batch = 0; batch < 24; batch++) {
      ObjectNode event = streamEvent();
      record(event, "INSERT", "p-" + UUID.randomUUID(), "event#" + batch, "PAGE_VIEW", otherDay);
      cloud.invoke("AnalyticsAggregatorFunction", event.toString());
    }
    long shardsUsed =
        AggregateItems.keysOf(java.time.LocalDate.parse(otherDay)).stream()
            .filter(pk -> counter(pk, "e|PAGE_VIEW|" + page) > 0)
            .count();
    assertThat(shardsUsed).as("24 batches land on more than one shard").isGreaterThan(1);
    long total =
        AggregateItems.keysOf(java.time.LocalDate.parse(otherDay)).stream()
            .mapToLong(pk -> counter(pk, "e|PAGE_VIEW|" + page))
            .sum();
    assertThat(total).isGreaterThanOrEqualTo(24);

    dev.custodian.local.ApiClient api = new dev.custodian.local.ApiClient(cloud.baseUri());
    com.fasterxml.jackson.databind.JsonNode stats =
        api.get(
                "/admin/stats?from=" + otherDay + "&to=" + otherDay,
                Map.of("authorization", dev.custodian.local.ApiClient.OPERATOR_SIGNATURE))
            .json();
    assertThat(stats.path("days").get(0).path("events").path("PAGE_VIEW").path(page).asLong())
        .isEqualTo(total);
  }

  private ObjectNode streamEvent() {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.putArray("Records");
    return event;
  }

  private void record(ObjectNode event, String name, String visitor, String sk, String type) {
    record(event, name, visitor, sk, type, day);
  }

  private void record(
      ObjectNode event, String name, String visitor, String sk, String type, String onDay) {
    ObjectNode record = ((ArrayNode) event.get("Records")).addObject();
    record.put("eventID", UUID.randomUUID().toString());
    record.put("eventName", name);
    record.put("eventSource", "aws:dynamodb");
    ObjectNode image = record.putObject("dynamodb").putObject("NewImage");
    image.putObject("pk").put("S", "visitor#" + visitor);
    image.putObject("sk").put("S", sk);
    if (type != null) {
      image.putObject("type").put("S", type);
      image.putObject("page").put("S", page);
      image.putObject("day").put("S", onDay);
    }
  }

  /** A counter of the test's day, summed over the day's shards. */
  private long counter(String name) {
    return AggregateItems.keysOf(java.time.LocalDate.parse(day)).stream()
        .mapToLong(pk -> counter(pk, name))
        .sum();
  }

  private long counter(String pk, String name) {
    Map<String, AttributeValue> item =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(cloud.ref("AnalyticsAggregatesTable"))
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS(pk),
                                "sk", AttributeValue.fromS(AggregateItems.COUNTS)))
                        .consistentRead(true))
            .item();
    return item == null || !item.containsKey(name) ? 0 : Long.parseLong(item.get(name).n());
  }
}
