package dev.custodian.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Warm latency of POST /orders through the local cloud for a known customer, against one plain
 * PutItem on the same moto, interleaved. Prints figures; asserts nothing. Run with the test
 * classpath: {@code java -cp ... dev.custodian.orders.PlaceOrderLatency [rounds]}.
 */
public final class PlaceOrderLatency {

  private PlaceOrderLatency() {}

  private static software.amazon.awssdk.services.dynamodb.model.TransactWriteItem put(
      String table, Map<String, AttributeValue> item) {
    return software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    LocalCloud cloud = SharedLocalCloud.get();
    ApiClient api = new ApiClient(cloud.baseUri());
    JsonNode event =
        Json.MAPPER.readTree(Files.readString(ProjectFiles.event("orders/place-order.json")));
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree(event.path("body").asText());
    ((ObjectNode) body.path("customer"))
        .put("email", "known." + UUID.randomUUID() + "@example.com");
    String table = cloud.ref("IdempotencyTable");
    long[] orders = new long[rounds];
    long[] puts = new long[rounds];
    long[] transactions = new long[rounds];
    String ordersTable = cloud.ref("OrdersTable");
    String auditTable = cloud.ref("AuditTable");
    for (int i = -50; i < rounds; i++) {
      long start = System.nanoTime();
      var response =
          api.post("/orders", body, Map.of("idempotency-key", "bench-" + UUID.randomUUID()));
      long order = System.nanoTime() - start;
      if (response.status() != 201) {
        throw new IllegalStateException("POST /orders answered " + response.status());
      }
      start = System.nanoTime();
      cloud
          .emulator()
          .dynamoDb()
          .putItem(
              b ->
                  b.tableName(table)
                      .item(
                          Map.of(
                              "pk", AttributeValue.fromS("bench#" + UUID.randomUUID()),
                              "expiresAt", AttributeValue.fromN("1"))));
      long put = System.nanoTime() - start;
      // The floor of an order: one transaction of the same shape (two order items, an audit
      // record, an idempotency record) on the same tables, without the function around it.
      String id = UUID.randomUUID().toString();
      start = System.nanoTime();
      cloud
          .emulator()
          .dynamoDb()
          .transactWriteItems(
              b ->
                  b.transactItems(
                      put(
                          ordersTable,
                          Map.of(
                              "pk",
                              AttributeValue.fromS("bench#" + id),
                              "sk",
                              AttributeValue.fromS("transaction"))),
                      put(
                          ordersTable,
                          Map.of(
                              "pk",
                              AttributeValue.fromS("bench#" + id),
                              "sk",
                              AttributeValue.fromS("contact"))),
                      put(auditTable, Map.of("pk", AttributeValue.fromS("bench#" + id))),
                      put(table, Map.of("pk", AttributeValue.fromS("bench#" + id)))));
      long transaction = System.nanoTime() - start;
      if (i >= 0) {
        orders[i] = order;
        puts[i] = put;
        transactions[i] = transaction;
      }
    }
    Arrays.sort(orders);
    Arrays.sort(puts);
    Arrays.sort(transactions);
    double orderMs = orders[rounds / 2] / 1e6;
    double putMs = puts[rounds / 2] / 1e6;
    System.out.printf(
        "POST /orders (known customer, through the local cloud): median %.2f ms, p90 %.2f ms%n"
            + "PutItem (same moto, SDK direct): median %.2f ms, p90 %.2f ms%n"
            + "TransactWriteItems of the order's shape (same moto, SDK direct): median %.2f ms%n"
            + "ratio of medians: %.2f (%d interleaved rounds after 50 warm-up)%n",
        orderMs,
        orders[rounds * 9 / 10] / 1e6,
        putMs,
        puts[rounds * 9 / 10] / 1e6,
        transactions[rounds / 2] / 1e6,
        orderMs / putMs,
        rounds);
    System.exit(0);
  }
}
