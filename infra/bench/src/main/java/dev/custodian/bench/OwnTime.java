package dev.custodian.bench;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.emulator.EmulatorProxy;
import dev.custodian.local.runtime.FunctionHost;
import java.util.UUID;

/**
 * The code's own time per warm order: the invocation's duration (as Lambda reports it, timed on the
 * container's thread from the event's JSON to the answer's) minus the time its AWS calls spent
 * inside the proxy (the emulator's answer, plus the local IAM check and the forwarding, which AWS
 * does not have), both measured at the proxy. What is left is Custodian's work and its HTTP
 * client's: the event's deserialisation, JSON reading and validation, sealing, pricing from the
 * cache, building and signing the transaction, the loopback round trip. Beside it, the CPU time the
 * container's thread used per order: the part of the own time that is work, not waiting (for the
 * socket's answer to be read, for a core: two are shared with the emulator and the proxy).
 *
 * <p>Two figures: the first 300 orders after 50 (much of the code still interpreted or compiled
 * without optimisation, as in a container's first minutes), shown beside; and 300 orders after
 * 2,000 more, a container that has served a few thousand requests and whose code the JIT has
 * compiled, held to the target: the steady cost of an order.
 */
final class OwnTime {

  private OwnTime() {}

  /** The three figures per order, in milliseconds. */
  private record Sample(double[] own, double[] aws, double[] hop, double[] cpu) {}

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    String name = "POST /orders, known customer: in-process time − its calls' time in the proxy";
    Sample early = sample(cloud, quick ? 5 : 50, quick ? 15 : 300);
    report.addOwnTime(
        name + ", orders 51–350 of a container",
        Stats.of(early.own()),
        Stats.of(early.aws()),
        Stats.of(early.hop()),
        Stats.of(early.cpu()),
        null);
    Sample steady = sample(cloud, quick ? 5 : 2000, quick ? 15 : 300);
    report.addOwnTime(
        name + (quick ? "" : ", after 2,350 orders"),
        Stats.of(steady.own()),
        Stats.of(steady.aws()),
        Stats.of(steady.hop()),
        Stats.of(steady.cpu()),
        1.0);
  }

  private static Sample sample(LocalCloud cloud, int warmup, int iterations) throws Exception {
    EmulatorProxy proxy = cloud.proxy();
    String function = FunctionCalls.deployedName(cloud, "PlaceOrderFunction");
    String known = "bench.own." + UUID.randomUUID() + "@example.com";
    String placeOrder = SampleEvents.read("orders/place-order.json");
    double[] own = new double[iterations];
    double[] hop = new double[iterations];
    double[] aws = new double[iterations];
    double[] cpu = new double[iterations];
    for (int i = -warmup; i < iterations; i++) {
      String event = SampleEvents.fresh(placeOrder, known);
      proxy.reset();
      FunctionCalls.invoke(cloud, "PlaceOrderFunction", event, 201);
      FunctionHost.Report invocation = cloud.lastReport("PlaceOrderFunction");
      double upstream = proxy.upstreamTotal(function)[0];
      double inProxy = proxy.spanTotal(function)[0];
      if (i >= 0) {
        aws[i] = upstream;
        hop[i] = inProxy - upstream;
        own[i] = invocation.durationMillis() - inProxy;
        cpu[i] = invocation.cpuMillis();
      }
    }
    return new Sample(own, aws, hop, cpu);
  }
}
