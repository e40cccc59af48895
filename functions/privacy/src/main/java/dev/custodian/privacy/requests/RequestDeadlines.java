package dev.custodian.privacy.requests;

import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * How many requests the shop owes an answer to are past their due date, and how many fall due
 * within {@link #SOON}: counted from the {@value RequestQueue#INDEX} index (status, due date) with
 * {@code Select: COUNT}, so nothing of a request is read, and the work grows with the pages of open
 * requests, not with the table.
 *
 * <p>Owed are the verified requests, waiting or in progress. A request never verified (its code
 * expired unused) is not one the shop can answer, so it does not count, however old.
 */
final class RequestDeadlines {

  static final List<String> OWED = RequestStatus.owed().stream().map(Enum::name).toList();
  static final Duration SOON = Duration.ofDays(3);

  /** The counts at one moment: overdue and due soon, and the overdue ones by status. */
  record Counts(Instant at, long overdue, long dueSoon, Map<String, Long> overdueByStatus) {}

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Clock clock;

  RequestDeadlines(DynamoDbClient dynamoDb, String table, Clock clock) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.clock = clock;
  }

  Counts count() {
    Instant now = clock.instant();
    String nowText = now.toString();
    long overdue = 0;
    long dueSoon = 0;
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (String status : OWED) {
      long late = count(status, "#d < :now", Map.of(":now", AttributeValue.fromS(nowText)), now);
      byStatus.put(status, late);
      overdue += late;
      dueSoon +=
          count(
              status,
              "#d BETWEEN :now AND :soon",
              Map.of(
                  ":now", AttributeValue.fromS(nowText),
                  ":soon", AttributeValue.fromS(now.plus(SOON).toString())),
              now);
    }
    return new Counts(now, overdue, dueSoon, byStatus);
  }

  /** Index entries of one status whose due date matches, not yet expired: every page's count. */
  private long count(
      String status, String dueCondition, Map<String, AttributeValue> dueValues, Instant now) {
    Map<String, AttributeValue> values = new LinkedHashMap<>(dueValues);
    values.put(":s", AttributeValue.fromS(status));
    values.put(":epoch", AttributeValue.fromN(Long.toString(now.getEpochSecond())));
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .indexName(RequestQueue.INDEX)
            .keyConditionExpression("#s = :s AND " + dueCondition)
            // expired but not yet deleted by TTL: no longer held, so no longer owed
            .filterExpression("attribute_not_exists(expiresAt) OR expiresAt > :epoch")
            .expressionAttributeNames(
                Map.of("#s", PrivacyRequestItems.STATUS, "#d", PrivacyRequestItems.DUE_AT))
            .expressionAttributeValues(values)
            .select(Select.COUNT)
            .build();
    return dynamoDb.queryPaginator(query).stream().mapToLong(QueryResponse::count).sum();
  }
}
