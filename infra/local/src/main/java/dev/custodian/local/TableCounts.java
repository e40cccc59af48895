package dev.custodian.local;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Item counts of every table of the local cloud: to show that a refused request wrote nothing. */
public final class TableCounts {

  private TableCounts() {}

  public static Map<String, Integer> of(LocalCloud cloud) {
    // Stream consumers write after the requests that fed them: count once they have caught up.
    if (!cloud.awaitStreams(java.time.Duration.ofSeconds(30))) {
      throw new IllegalStateException("the stream consumers did not catch up within 30 s");
    }
    // Queue consumers too (the notifier records each email it sends): best effort, since a test
    // may leave a message failing on purpose.
    cloud.awaitQueues(java.time.Duration.ofSeconds(5));
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String table : cloud.tableNames()) {
      int count = 0;
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> start = null;
      do {
        ScanRequest.Builder scan = ScanRequest.builder().tableName(table).select(Select.COUNT);
        if (start != null) {
          scan.exclusiveStartKey(start);
        }
        ScanResponse page = cloud.emulator().dynamoDb().scan(scan.build());
        count += page.count();
        start =
            page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey()
                : null;
      } while (start != null);
      counts.put(table, count);
    }
    return counts;
  }

  /** Everything stored in every table, as text: for searching raw items for plaintext. */
  public static String dump(LocalCloud cloud) {
    StringBuilder out = new StringBuilder();
    for (String table : cloud.tableNames()) {
      for (var item : cloud.emulator().dynamoDb().scanPaginator(b -> b.tableName(table)).items()) {
        item.forEach(
            (name, value) -> {
              out.append(name).append('=');
              if (value.b() != null) {
                out.append(
                    new String(
                        value.b().asByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1));
              } else {
                out.append(value);
              }
              out.append('\n');
            });
      }
    }
    return out.toString();
  }
}
