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

  public static final int BATCH = 25;
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
    write(Map.of(table, batch));
  }

  /**
   * Writes to several tables, 25 requests a call across them: collect with {@link Buffer#put} and
   * {@link Buffer#delete}, then {@link Buffer#flush}. Nothing is written before the flush, so a
   * caller can record what it is about to do first.
   */
  public Buffer buffer() {
    return new Buffer();
  }

  /** Writes collected for one or more BatchWriteItem calls. */
  public final class Buffer {
    private final List<Map.Entry<String, WriteRequest>> writes = new ArrayList<>();

    private Buffer() {}

    public void put(String table, Map<String, AttributeValue> item) {
      writes.add(
          Map.entry(
              table,
              WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()));
    }

    public void delete(String table, Map<String, AttributeValue> key) {
      writes.add(
          Map.entry(
              table,
              WriteRequest.builder()
                  .deleteRequest(
                      software.amazon.awssdk.services.dynamodb.model.DeleteRequest.builder()
                          .key(key)
                          .build())
                  .build()));
    }

    public int size() {
      return writes.size();
    }

    public void flush() {
      for (int from = 0; from < writes.size(); from += BATCH) {
        Map<String, List<WriteRequest>> batch = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, WriteRequest> write :
            writes.subList(from, Math.min(writes.size(), from + BATCH))) {
          batch.computeIfAbsent(write.getKey(), t -> new ArrayList<>()).add(write.getValue());
        }
        write(batch);
      }
      writes.clear();
    }
  }

  private void write(Map<String, List<WriteRequest>> batch) {
    Map<String, List<WriteRequest>> pending = batch;
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
