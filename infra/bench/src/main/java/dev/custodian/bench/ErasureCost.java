package dev.custodian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.emulator.EmulatorProxy;
import java.util.Map;
import java.util.UUID;

/**
 * What erasing a person costs: the DynamoDB calls the erasure worker makes (counted at the proxy)
 * and the time from verification to completion, for subjects with 10, 100 and 1,000 order items
 * (docs/benchmarks.md, "Erasure").
 */
final class ErasureCost {

  private final LocalCloud cloud;
  private final Report report;
  private final ApiClient api;
  private final EmulatorProxy proxy;

  private ErasureCost(LocalCloud cloud, Report report) {
    this.cloud = cloud;
    this.report = report;
    this.api = new ApiClient(cloud.baseUri());
    this.proxy = cloud.proxy();
  }

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    ErasureCost erasure = new ErasureCost(cloud, report);
    for (int items : quick ? new int[] {10, 100} : new int[] {10, 100, 1000}) {
      erasure.erase(items);
    }
  }

  /** A subject with this many order items (two per order), erased through the API. */
  private void erase(int items) throws Exception {
    String worker = FunctionCalls.deployedName(cloud, "ErasureWorkerFunction");
    String placeOrder = SampleEvents.read("orders/place-order.json");
    String email = "bench.erase." + UUID.randomUUID() + "@example.com";
    for (int o = 0; o < items / 2; o++) {
      FunctionCalls.invoke(cloud, "PlaceOrderFunction", SampleEvents.fresh(placeOrder, email), 201);
    }
    var created =
        api.post(
            "/privacy/requests",
            Map.of("type", "ERASURE", "email", email, "regime", "GDPR"),
            Map.of());
    String requestId = created.json().path("requestId").asText();
    String code = new Scenarios(api).code(email, requestId);
    proxy.reset();
    long start = System.nanoTime();
    var verified =
        api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", code), Map.of());
    String token = verified.json().path("requestToken").asText();
    double seconds = secondsToCompletion(requestId, token, start);
    if (seconds == 0) {
      throw new IllegalStateException("the erasure of " + items + " items did not complete");
    }
    int calls = proxy.count(worker, "dynamodb");
    int target = (items + 24) / 25 + 13; // docs/benchmarks.md: erasure
    report.addErasure(items, calls, target, seconds, proxy.operations(worker, "dynamodb"));
  }

  /** Seconds from {@code start} until the request reads COMPLETED; 0 when it never does. */
  private double secondsToCompletion(String requestId, String token, long start)
      throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      JsonNode status =
          api.get("/privacy/requests/" + requestId, Map.of("authorization", "Bearer " + token))
              .json();
      if ("COMPLETED".equals(status.path("status").asText())) {
        return (System.nanoTime() - start) / 1e9;
      }
      Thread.sleep(50);
    }
    return 0;
  }
}
