package dev.custodian.core.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Puts or deletes items with BatchWriteItem, 25 a call, retrying what DynamoDB leaves unprocessed
 * with exponential backoff and full jitter.
 */
public final class BatchWriter {

  static final int BATCH = 25;
  private static final int ATTEMPTS = 6;
  private static final long BASE_MILLIS = 20;

  private final DynamoDbClient dynamoDb;

  public BatchWriter(DynamoDbClient dynamoDb) {
    this.dynamoDb = dynamoDb;
  }

  public void putAll(String table, List<Map<String, AttributeValue>> items) {
    for (int from = 0; from < items.size(); from += BATCH) {
      List<WriteRequest> batch = new ArrayList<>();
      for (Map<String, AttributeValue> item :
          items.subList(from, Math.min(items.size(), from + BATCH))) {
        batch.add(
            WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
      }
      write(table, batch);
    }
  }

  /** Deletes the items with these keys (absent ones are no error). */
  public void deleteAll(String table, List<Map<String, AttributeValue>> keys) {
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<WriteRequest> batch = new ArrayList<>();
      for (Map<String, AttributeValue> key :
          keys.subList(from, Math.min(keys.size(), from + BATCH))) {
        batch.add(
            WriteRequest.builder()
                .deleteRequest(
                    software.amazon.awssdk.services.dynamodb.model.DeleteRequest.builder()
                        .key(key)
                        .build())
                .build());
      }
      write(table, batch);
    }
  }

  private void write(String table, List<WriteRequest> batch) {
    Map<String, List<WriteRequest>> pending = Map.of(table, batch);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) {
        sleep(ThreadLocalRandom.current().nextLong(BASE_MILLIS << attempt));
      }
      Map<String, List<WriteRequest>> request = pending;
      BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request));
      if (!response.hasUnprocessedItems() || response.unprocessedItems().isEmpty()) {
        return;
      }
      pending = response.unprocessedItems();
    }
    throw new IllegalStateException(
        "DynamoDB left items unprocessed after " + ATTEMPTS + " attempts");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
