package dev.custodian.bench;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.emulator.EmulatorProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * KMS calls per order, counted outside the function by the proxy in front of the emulator: N fresh
 * containers each placing M orders for S customers, against the floor of one key per subject per
 * container (docs/benchmarks.md, "KMS calls").
 */
final class KmsCalls {

  private KmsCalls() {}

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    int containers = quick ? 2 : 4;
    int requests = quick ? 10 : 60;
    int subjects = quick ? 3 : 10;
    EmulatorProxy proxy = cloud.proxy();
    String function = FunctionCalls.deployedName(cloud, "PlaceOrderFunction");
    String placeOrder = SampleEvents.read("orders/place-order.json");
    List<String> emails = new ArrayList<>();
    for (int s = 0; s < subjects; s++) {
      emails.add("bench.kms." + UUID.randomUUID() + "@example.com");
    }
    proxy.reset();
    for (int c = 0; c < containers; c++) {
      cloud.retireContainers("PlaceOrderFunction");
      for (int m = 0; m < requests; m++) {
        String event = SampleEvents.fresh(placeOrder, emails.get(m % subjects));
        FunctionCalls.invoke(cloud, "PlaceOrderFunction", event, 201);
      }
    }
    int calls = proxy.count(function, "kms");
    int floor = containers * subjects;
    report.addCount(
        "KMS calls",
        String.format(
            "%d containers x %d orders for %d customers (%s)",
            containers, requests, subjects, proxy.operations(function, "kms")),
        calls,
        floor,
        "floor N x S",
        containers * requests,
        "one key unwrap per request (no cache)",
        // the index secret: one more unwrap per container, on top of one key per subject
        floor + containers);
  }
}
