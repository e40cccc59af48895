package dev.custodian.core.dynamo;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Counting and deleting every item of one partition (pk, sk tables), a page at a time. */
public final class Partitions {

  private Partitions() {}

  /** How many items of the partition have a sort key starting with {@code prefix}. */
  public static long count(DynamoDbClient dynamoDb, String table, String pk, String prefix) {
    long count = 0;
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder query =
          QueryRequest.builder()
              .tableName(table)
              .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
              .expressionAttributeValues(
                  Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(prefix)))
              .select("COUNT");
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(query.build());
      count += page.count();
      start = next(page);
    } while (start != null);
    return count;
  }

  /** The keys of every item of the partition, a page at a time. */
  public static void keys(
      DynamoDbClient dynamoDb,
      String table,
      String pk,
      java.util.function.Consumer<java.util.List<Map<String, AttributeValue>>> eachPage) {
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder query =
          QueryRequest.builder()
              .tableName(table)
              .keyConditionExpression("pk = :pk")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
              .projectionExpression("pk, sk");
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(query.build());
      eachPage.accept(page.items());
      start = next(page);
    } while (start != null);
  }

  /** Deletes every item of the partition; memory stays bounded by one page. */
  public static void delete(DynamoDbClient dynamoDb, BatchWriter writer, String table, String pk) {
    keys(dynamoDb, table, pk, page -> writer.deleteAll(table, page));
  }

  private static Map<String, AttributeValue> next(QueryResponse page) {
    return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
        ? page.lastEvaluatedKey()
        : null;
  }
}
