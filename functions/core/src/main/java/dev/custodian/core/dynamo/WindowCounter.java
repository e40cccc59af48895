package dev.custodian.core.dynamo;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

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
                  .key(
                      Map.of(
                          "pk",
                          AttributeValue.fromS("rate#" + key + "#" + windowStart.getEpochSecond())))
                  .updateExpression("ADD hits :one SET expiresAt = :expires")
                  .conditionExpression("attribute_not_exists(hits) OR hits < :limit")
                  .expressionAttributeValues(
                      Map.of(
                          ":one", AttributeValue.fromN("1"),
                          ":limit", AttributeValue.fromN(Integer.toString(limit)),
                          ":expires",
                              AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())))));
      return true;
    } catch (ConditionalCheckFailedException limitReached) {
      return false;
    }
  }
}
