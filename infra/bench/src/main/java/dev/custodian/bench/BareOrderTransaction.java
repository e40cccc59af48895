package dev.custodian.bench;

import dev.custodian.local.LocalCloud;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What placing an order writes, sent bare: the order and its contact data (new items), the audit
 * record, the idempotency record (with its condition) and the check on the email's lookup. Timed
 * beside the route, it is the floor the emulator puts under {@code POST /orders}.
 */
final class BareOrderTransaction implements Runnable {

  private static final String NEVER = "1999999999";

  private final DynamoDbClient dynamoDb;
  private final String ordersTable;
  private final String auditTable;
  private final String idempotencyTable;
  private final String subjectsTable;

  BareOrderTransaction(DynamoDbClient dynamoDb, LocalCloud cloud) {
    this.dynamoDb = dynamoDb;
    this.ordersTable = cloud.ref("OrdersTable");
    this.auditTable = cloud.ref("AuditTable");
    this.idempotencyTable = cloud.ref("IdempotencyTable");
    this.subjectsTable = cloud.ref("SubjectsTable");
  }

  @Override
  public void run() {
    String id = UUID.randomUUID().toString();
    String blob = "x".repeat(180);
    Map<String, AttributeValue> order =
        Map.of(
            "pk", AttributeValue.fromS("order#" + id),
            "sk", AttributeValue.fromS("transaction"),
            "items", AttributeValue.fromS(blob),
            "expiresAt", AttributeValue.fromN(NEVER));
    Map<String, AttributeValue> contact =
        Map.of(
            "pk", AttributeValue.fromS("order#" + id),
            "sk", AttributeValue.fromS("contact"),
            "sealed", AttributeValue.fromS(blob + blob),
            "expiresAt", AttributeValue.fromN(NEVER));
    Map<String, AttributeValue> audit =
        Map.of(
            "pk", AttributeValue.fromS("audit#" + id),
            "at", AttributeValue.fromS("2026-11-24T00:00:00Z"),
            "action", AttributeValue.fromS("CREATE"),
            "expiresAt", AttributeValue.fromN(NEVER));
    Map<String, AttributeValue> idempotency =
        Map.of(
            "pk", AttributeValue.fromS("idem#" + id),
            "status", AttributeValue.fromS("COMPLETED"),
            "payloadHash", AttributeValue.fromS(blob.substring(0, 64)),
            "reference", AttributeValue.fromS(blob.substring(0, 120)),
            "expiresAt", AttributeValue.fromN(NEVER));
    String now = Long.toString(Instant.now().getEpochSecond());
    dynamoDb.transactWriteItems(
        b ->
            b.transactItems(
                put(ordersTable, order, "attribute_not_exists(pk)", Map.of()),
                put(ordersTable, contact, "attribute_not_exists(pk)", Map.of()),
                put(auditTable, audit, null, Map.of()),
                put(
                    idempotencyTable,
                    idempotency,
                    "attribute_not_exists(pk) OR expiresAt < :now"
                        + " OR (#status = :inProgress AND inProgressUntil < :nowMillis)",
                    Map.of(
                        ":now", AttributeValue.fromN(now),
                        ":nowMillis", AttributeValue.fromN(now + "000"),
                        ":inProgress", AttributeValue.fromS("IN_PROGRESS"))),
                TransactWriteItem.builder()
                    .conditionCheck(
                        c ->
                            c.tableName(subjectsTable)
                                .key(Map.of("pk", AttributeValue.fromS("lookup#bench#" + id)))
                                .conditionExpression("attribute_not_exists(pk)"))
                    .build()));
  }

  private static TransactWriteItem put(
      String table,
      Map<String, AttributeValue> item,
      String condition,
      Map<String, AttributeValue> values) {
    return TransactWriteItem.builder()
        .put(
            p -> {
              p.tableName(table).item(item);
              if (condition != null) {
                p.conditionExpression(condition);
                if (condition.contains("#status")) {
                  p.expressionAttributeNames(Map.of("#status", "status"));
                }
                if (!values.isEmpty()) {
                  p.expressionAttributeValues(values);
                }
              }
            })
        .build();
  }
}
