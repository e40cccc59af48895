package dev.custodian.bench;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.emulator.EmulatorProxy;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The code's own time per warm order: the handler's time in-process minus the time AWS (the
 * emulator) took to answer its calls, measured at the proxy, minus the proxy's own hop for each of
 * those calls (the local IAM check and the forwarding, which AWS does not have), measured on a bare
 * {@code PutItem} interleaved with the orders. What is left is Custodian's work: the event's
 * deserialisation, JSON reading and validation, sealing, pricing from the cache, building the
 * transaction, the SDK's marshalling.
 */
final class OwnTime {

  private OwnTime() {}

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    int iterations = quick ? 15 : 300;
    int warmup = quick ? 5 : 50;
    EmulatorProxy proxy = cloud.proxy();
    DynamoDbClient bare = new Emulator(proxy.endpoint(), cloud.emulator().region()).dynamoDb();
    String scratch = cloud.ref("IdempotencyTable");
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
      double[] upstream = proxy.upstreamTotal(function);
      start = System.nanoTime();
      bare.putItem(
          b ->
              b.tableName(scratch)
                  .item(Map.of("pk", AttributeValue.fromS("bench#" + UUID.randomUUID()))));
      double client = (System.nanoTime() - start) / 1e6;
      double perCallHop = Math.max(0, client - proxy.upstreamTotal("-")[0]);
      if (i >= 0) {
        aws[i] = upstream[0];
        hop[i] = perCallHop * upstream[1];
        own[i] = handler - upstream[0] - hop[i];
      }
    }
    report.addOwnTime(
        "POST /orders, known customer: in-process time − AWS time at the proxy − the proxy's hop",
        Stats.of(own),
        Stats.of(aws),
        Stats.of(hop),
        1.0);
  }
}
