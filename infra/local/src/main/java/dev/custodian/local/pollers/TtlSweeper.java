package dev.custodian.local.pollers;

import dev.custodian.local.resources.Provisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * DynamoDB's TTL process, which the emulators do not run: deletes the items whose TTL attribute (in
 * epoch seconds) has passed.
 */
public final class TtlSweeper {

  private final DynamoDbClient dynamoDb;
  private final List<Provisioner.TableSpec> tables;

  public TtlSweeper(DynamoDbClient dynamoDb, List<Provisioner.TableSpec> tables) {
    this.dynamoDb = dynamoDb;
    this.tables = tables.stream().filter(t -> t.ttlAttribute() != null).toList();
  }

  /** Deletes every expired item now; returns how many went. */
  public synchronized int sweep() {
    long now = Instant.now().getEpochSecond();
    int deleted = 0;
    for (Provisioner.TableSpec table : tables) {
      List<String> keys =
          dynamoDb.describeTable(b -> b.tableName(table.name())).table().keySchema().stream()
              .map(KeySchemaElement::attributeName)
              .toList();
      Map<String, AttributeValue> start = null;
      do {
        ScanRequest.Builder scan =
            ScanRequest.builder()
                .tableName(table.name())
                .filterExpression("#ttl < :now")
                .expressionAttributeNames(Map.of("#ttl", table.ttlAttribute()))
                .expressionAttributeValues(
                    Map.of(":now", AttributeValue.builder().n(Long.toString(now)).build()));
        if (start != null) {
          scan.exclusiveStartKey(start);
        }
        ScanResponse page = dynamoDb.scan(scan.build());
        for (Map<String, AttributeValue> item : page.items()) {
          Map<String, AttributeValue> key = new HashMap<>();
          keys.forEach(k -> key.put(k, item.get(k)));
          dynamoDb.deleteItem(b -> b.tableName(table.name()).key(key));
          deleted++;
        }
        start =
            page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey()
                : null;
      } while (start != null);
    }
    return deleted;
  }

  /** Sweeps every {@code interval} on a daemon thread, until the answer is closed. */
  public AutoCloseable every(Duration interval) {
    ScheduledExecutorService schedule =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ttl-sweeper");
              t.setDaemon(true);
              return t;
            });
    long every = interval.toMillis();
    schedule.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    return schedule::shutdownNow;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      System.err.println("[ttl-sweeper] " + e.getClass().getSimpleName());
    }
  }
}
