package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.emulator.EmulatorProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A crash at every step of placing an order — before each AWS call the function makes, and after
 * each one took effect but before the function heard back — then the client's retry with the same
 * Idempotency-Key: the order exists once, with one audit record, and the retry answers it.
 */
class OrderCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aCrashBeforeOrAfterEachCall_thenARetry_placesTheOrderOnce() throws Exception {
    LocalCloud shared = SharedLocalCloud.get();
    try (EmulatorProxy proxy = new EmulatorProxy(shared.emulator().endpoint());
        LocalCloud cloud = Reliability.behind(proxy, "crash", 4)) {
      String function = cloud.function("PlaceOrderFunction").name();
      ApiClient api = new ApiClient(cloud.baseUri());
      List<String> scenarios = new ArrayList<>();
      for (boolean after : new boolean[] {false, true}) {
        for (int n = 1; ; n++) {
          // a new customer each time: the longest path (lookup, new key, new subject, order)
          ObjectNode body = Scenarios.orderBody("crash." + UUID.randomUUID() + "@example.com");
          String key = "crash-" + UUID.randomUUID();
          proxy.failNth(k -> k.startsWith(function + "|"), n, after);
          ApiClient.Response first = api.post("/orders", body, Map.of("idempotency-key", key));
          boolean crashed = proxy.nthFailed();
          proxy.failNth(k -> false, 1, false);
          if (!crashed) {
            assertThat(first.status()).isEqualTo(201);
            break; // the order made fewer than n calls: every step has been crashed
          }
          assertThat(first.status())
              .as("crash at call %d (after=%s)", n, after)
              .isGreaterThanOrEqualTo(500);
          ApiClient.Response retry = api.post("/orders", body, Map.of("idempotency-key", key));
          assertThat(retry.status()).as("retry after a crash at call %d", n).isEqualTo(201);
          ApiClient.Response again = api.post("/orders", body, Map.of("idempotency-key", key));
          String orderId = retry.json().path("orderId").asText();
          assertThat(again.json().path("orderId").asText()).isEqualTo(orderId);
          assertThat(count(shared, cloud.ref("OrdersTable"), "orderId", orderId)).isEqualTo(2);
          assertThat(count(shared, cloud.ref("AuditTable"), "recordId", orderId)).isEqualTo(1);
          scenarios.add((after ? "after" : "before") + " call " + n);
        }
      }
      Reliability.figure(
          "Crash at every step",
          "order placement, new customer",
          scenarios.size()
              + " crashes ("
              + String.join(", ", scenarios)
              + "), each retried: one order, one audit record");
      assertThat(scenarios).hasSizeGreaterThanOrEqualTo(6);
    }
  }

  private static int count(LocalCloud shared, String table, String attribute, String value) {
    int n = 0;
    for (var item : shared.emulator().dynamoDb().scanPaginator(b -> b.tableName(table)).items()) {
      AttributeValue v = item.get(attribute);
      if (v != null && value.equals(v.s())) {
        n++;
      }
    }
    return n;
  }
}
