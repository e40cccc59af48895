package dev.custodian.bench;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.emulator.EmulatorProxy;
import java.util.UUID;

/**
 * The code's own time per warm order: the handler's time in-process minus the time its AWS calls
 * spent inside the proxy (the emulator's answer, plus the local IAM check and the forwarding, which
 * AWS does not have), both measured at the proxy. What is left is Custodian's work and its HTTP
 * client's: the event's deserialisation, JSON reading and validation, sealing, pricing from the
 * cache, building and signing the transaction, the loopback round trip.
 */
final class OwnTime {

  private OwnTime() {}

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    int iterations = quick ? 15 : 300;
    int warmup = quick ? 5 : 50;
    EmulatorProxy proxy = cloud.proxy();
    String function = FunctionCalls.deployedName(cloud, "PlaceOrderFunction");
    String known = "bench.own." + UUID.randomUUID() + "@example.com";
    String placeOrder = SampleEvents.read("orders/place-order.json");
    double[] own = new double[iterations];
    double[] hop = new double[iterations];
    double[] aws = new double[iterations];
    for (int i = -warmup; i < iterations; i++) {
      String event = SampleEvents.fresh(placeOrder, known);
      proxy.reset();
      long start = System.nanoTime();
      FunctionCalls.invoke(cloud, "PlaceOrderFunction", event, 201);
      double handler = (System.nanoTime() - start) / 1e6;
      double upstream = proxy.upstreamTotal(function)[0];
      double inProxy = proxy.spanTotal(function)[0];
      if (i >= 0) {
        aws[i] = upstream;
        hop[i] = inProxy - upstream;
        own[i] = handler - inProxy;
      }
    }
    report.addOwnTime(
        "POST /orders, known customer: in-process time − its calls' time in the proxy",
        Stats.of(own),
        Stats.of(aws),
        Stats.of(hop),
        1.0);
  }
}
