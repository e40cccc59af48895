package dev.custodian.core.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Reads items by key with BatchGetItem, 100 keys a call, strongly consistent, retrying what
 * DynamoDB leaves unprocessed with exponential backoff and full jitter. One call instead of one
 * GetItem per key: a subject's 2,000 orders are 40 calls, not 4,000.
 */
public final class BatchReader {

  static final int BATCH = 100;
  private static final int ATTEMPTS = 8;
  private static final long BASE_MILLIS = 20;

  private final DynamoDbClient dynamoDb;

  public BatchReader(DynamoDbClient dynamoDb) {
    this.dynamoDb = dynamoDb;
  }

  /**
   * The items of one table that exist under these keys, in no particular order (absent keys are
   * simply missing from the answer).
   */
  public List<Map<String, AttributeValue>> getAll(
      String table, List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> found = new ArrayList<>(keys.size());
    for (int from = 0; from < keys.size(); from += BATCH) {
      Map<String, KeysAndAttributes> request =
          Map.of(
              table,
              KeysAndAttributes.builder()
                  .keys(keys.subList(from, Math.min(keys.size(), from + BATCH)))
                  .consistentRead(true)
                  .build());
      for (int attempt = 1; !request.isEmpty(); attempt++) {
        if (attempt > 1) {
          backOff(attempt);
        }
        Map<String, KeysAndAttributes> asked = request;
        BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(asked));
        found.addAll(response.responses().getOrDefault(table, List.of()));
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        if (!request.isEmpty() && attempt == ATTEMPTS) {
          throw new IllegalStateException(
              "DynamoDB left keys unprocessed after " + ATTEMPTS + " attempts");
        }
      }
    }
    return found;
  }

  private static void backOff(int attempt) {
    long cap = BASE_MILLIS << Math.min(attempt, 10);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a batch read", e);
    }
  }
}
