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
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB under stress: 30% of the order function's DynamoDB calls fail — half throttled before
 * they reach the table, half applied but with their answer lost — while orders are placed from many
 * threads, each client retrying with its own Idempotency-Key as the API asks. Every order must be
 * placed (none lost), once (no duplicate order, no duplicate audit record).
 */
class ThrottlingIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ordersUnderThrottlingAndLostAnswers_areNeitherLostNorDuplicated() throws Exception {
    int orders = Reliability.count(80, 500);
    int threads = Reliability.count(8, 16);
    LocalCloud shared = SharedLocalCloud.get();
    try (EmulatorProxy proxy = new EmulatorProxy(shared.emulator().endpoint());
        LocalCloud cloud = Reliability.behind(proxy, "throttled", threads)) {
      String function = cloud.function("PlaceOrderFunction").name();
      ApiClient api = new ApiClient(cloud.baseUri());
      proxy.inject(
          new EmulatorProxy.Faults(key -> key.startsWith(function + "|dynamodb|"), 0.30, 7L));

      Map<String, String> orderIdByKey = new ConcurrentHashMap<>();
      Map<Integer, AtomicInteger> answers = new TreeMap<>();
      for (int s : new int[] {201, 409, 429, 500, 503}) {
        answers.put(s, new AtomicInteger());
      }
      AtomicInteger attempts = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < orders; i++) {
        int n = i;
        work.add(
            pool.submit(
                () -> {
                  String key = "throttle-" + UUID.randomUUID();
                  // a few returning customers and many new ones
                  ObjectNode body =
                      Scenarios.orderBody(
                          "throttled."
                              + (n % 10 == 0 ? "regular" : UUID.randomUUID())
                              + "@example.com");
                  for (int attempt = 0; attempt < 30; attempt++) {
                    attempts.incrementAndGet();
                    ApiClient.Response r =
                        api.post("/orders", body, Map.of("idempotency-key", key));
                    answers.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
                    if (r.status() == 201) {
                      String orderId = r.json().path("orderId").asText();
                      String earlier = orderIdByKey.putIfAbsent(key, orderId);
                      if (earlier != null && !earlier.equals(orderId)) {
                        throw new AssertionError("one key, two orders");
                      }
                      return null;
                    }
                    Thread.sleep(20L * (attempt + 1));
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      pool.shutdown();
      proxy.inject(null);

      var dynamoDb = shared.emulator().dynamoDb();
      Set<String> stored = ConcurrentHashMap.newKeySet();
      int transactions = 0;
      for (var item : dynamoDb.scanPaginator(b -> b.tableName(cloud.ref("OrdersTable"))).items()) {
        if ("transaction".equals(item.get("sk").s())) {
          transactions++;
          stored.add(item.get("orderId").s());
        }
      }
      int creates = 0;
      for (var item : dynamoDb.scanPaginator(b -> b.tableName(cloud.ref("AuditTable"))).items()) {
        AttributeValue action = item.get("action");
        AttributeValue dataClass = item.get("dataClass");
        // the orders' records (the local cloud's start publishes the policy's first version too)
        if (action != null
            && "CREATE".equals(action.s())
            && (dataClass == null || !"POLICY_VERSION".equals(dataClass.s()))) {
          creates++;
        }
      }
      int lost = orders - orderIdByKey.size();
      int duplicated = transactions - orderIdByKey.size();
      Reliability.figure(
          "Throttling",
          orders + " orders on " + threads + " threads, 30% of DynamoDB calls failed",
          String.format(
              "%d calls failed, %d HTTP attempts, answers %s; %d lost, %d duplicated, %d audit records",
              proxy.injected(), attempts.get(), answers, lost, duplicated, creates));
      assertThat(proxy.injected()).as("faults were injected").isGreaterThan(orders / 10);
      assertThat(lost).isZero();
      assertThat(stored).containsExactlyInAnyOrderElementsOf(orderIdByKey.values());
      assertThat(duplicated).isZero();
      assertThat(creates).as("one audit record per order").isEqualTo(orders);
    }
  }
}
