package dev.custodian.core.dynamo;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A counter per key and fixed window (an hour, a day) that refuses to go past a limit, in one
 * conditional update. The key should be a blind index, never an email; the counter item expires by
 * itself (TTL) once its window is over.
 */
public final class WindowCounter {

  private final DynamoDbClient dynamoDb;
  private final String table;

  public WindowCounter(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  /**
   * Counts one more for {@code key} in the window starting at {@code windowStart}; answers false,
   * counting nothing, when the limit is reached.
   */
  public boolean tryCount(String key, Instant windowStart, int limit, Instant expiresAt) {
    try {
      dynamoDb.updateItem(
          b ->
              b.tableName(table)
                  .key(key(key, windowStart))
                  .updateExpression(UPDATE)
                  .conditionExpression(UNDER_LIMIT)
                  .expressionAttributeValues(values(limit, expiresAt)));
      return true;
    } catch (ConditionalCheckFailedException limitReached) {
      return false;
    }
  }

  /**
   * The same count as part of a transaction: the transaction is cancelled, with this item's reason
   * {@code ConditionalCheckFailed}, when the limit is reached.
   */
  public TransactWriteItem asTransactUpdate(
      String key, Instant windowStart, int limit, Instant expiresAt) {
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(key(key, windowStart))
                    .updateExpression(UPDATE)
                    .conditionExpression(UNDER_LIMIT)
                    .expressionAttributeValues(values(limit, expiresAt)))
        .build();
  }

  private static final String UPDATE = "ADD hits :one SET expiresAt = :expires";
  private static final String UNDER_LIMIT = "attribute_not_exists(hits) OR hits < :limit";

  private static Map<String, AttributeValue> key(String key, Instant windowStart) {
    return Map.of("pk", AttributeValue.fromS("rate#" + key + "#" + windowStart.getEpochSecond()));
  }

  private static Map<String, AttributeValue> values(int limit, Instant expiresAt) {
    return Map.of(
        ":one", AttributeValue.fromN("1"),
        ":limit", AttributeValue.fromN(Integer.toString(limit)),
        ":expires", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
  }
}
