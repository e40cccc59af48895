package dev.custodian.bench;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.emulator.EmulatorProxy;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor for placing an order on this emulator: the handler's own transaction, timed at the
 * proxy (the emulator's answer time, without the function's work), against a PutItem timed the same
 * way.
 */
final class OrderTransactionFloor {

  private OrderTransactionFloor() {}

  static void measure(LocalCloud cloud, Report report, boolean quick) throws Exception {
    int iterations = quick ? 15 : 200;
    EmulatorProxy proxy = cloud.proxy();
    String function = FunctionCalls.deployedName(cloud, "PlaceOrderFunction");
    String placeOrder = SampleEvents.read("orders/place-order.json");
    String known = "bench.floor." + UUID.randomUUID() + "@example.com";
    FunctionCalls.invoke(cloud, "PlaceOrderFunction", SampleEvents.fresh(placeOrder, known), 201);
    try (Emulator viaProxy = new Emulator(proxy.endpoint(), Region.of("us-east-1"))) {
      String scratch = cloud.ref("IdempotencyTable");
      proxy.reset();
      for (int i = 0; i < iterations; i++) {
        FunctionCalls.invoke(
            cloud, "PlaceOrderFunction", SampleEvents.fresh(placeOrder, known), 201);
        viaProxy
            .dynamoDb()
            .putItem(
                b ->
                    b.tableName(scratch)
                        .item(Map.of("pk", AttributeValue.fromS("bench#" + UUID.randomUUID()))));
      }
    }
    double[] transactions = proxy.upstreamMillis(function, "dynamodb", "TransactWriteItems");
    double[] puts = proxy.upstreamMillis("-", "dynamodb", "PutItem");
    int calls = proxy.count(function, "dynamodb");
    report.add(
        "Warm cost",
        "POST /orders' own TransactWriteItems as moto answers it ("
            + calls
            + " DynamoDB calls for "
            + iterations
            + " orders) vs PutItem, both timed at the proxy",
        Stats.of(transactions),
        Stats.of(puts),
        Ratios.ofBlockMedians(transactions, puts),
        "ms",
        null);
  }
}
