package dev.custodian.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The stream consumer, invoked directly with stream events: a batch delivered again (or
 * concurrently) counts once, a visitor counts once a day across batches, and what is not a new
 * event is ignored.
 */
class AggregatorIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final String day = "2020-01-0" + (1 + (int) (Math.random() * 9));
  private final String page = "product";

  @Test
  void aBatchDeliveredTwice_countsOnce_andAVisitorOnceADay() throws Exception {
    long visitorsBefore = counter("uniqueVisitors");
    long viewsBefore = counter("e|PAGE_VIEW|" + page);
    String alice = "p-" + UUID.randomUUID();
    String bob = "p-" + UUID.randomUUID();
    ObjectNode first = streamEvent();
    record(first, "INSERT", alice, "event#1", "PAGE_VIEW");
    record(first, "INSERT", alice, "event#2", "PAGE_VIEW");
    record(first, "INSERT", bob, "event#3", "PAGE_VIEW");
    record(first, "INSERT", alice, "day#" + day, null); // a visitor marker: not an event
    record(first, "REMOVE", bob, "event#0", "PAGE_VIEW"); // a TTL delete: not counted
    String json = first.toString();

    cloud.invoke("AnalyticsAggregatorFunction", json);
    cloud.invoke("AnalyticsAggregatorFunction", json); // Lambda delivers a batch again

    assertThat(counter("e|PAGE_VIEW|" + page) - viewsBefore).isEqualTo(3);
    assertThat(counter("uniqueVisitors") - visitorsBefore).isEqualTo(2);

    ObjectNode later = streamEvent();
    record(later, "INSERT", alice, "event#4", "PAGE_VIEW");
    cloud.invoke("AnalyticsAggregatorFunction", later.toString());

    assertThat(counter("e|PAGE_VIEW|" + page) - viewsBefore).isEqualTo(4);
    assertThat(counter("uniqueVisitors") - visitorsBefore)
        .as("alice was counted that day already")
        .isEqualTo(2);
  }

  private ObjectNode streamEvent() {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.putArray("Records");
    return event;
  }

  private void record(ObjectNode event, String name, String visitor, String sk, String type) {
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
      image.putObject("day").put("S", day);
    }
  }

  private long counter(String name) {
    Map<String, AttributeValue> item =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(cloud.ref("AnalyticsAggregatesTable"))
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS("day#" + day),
                                "sk", AttributeValue.fromS("counts")))
                        .consistentRead(true))
            .item();
    return item == null || !item.containsKey(name) ? 0 : Long.parseLong(item.get(name).n());
  }
}
