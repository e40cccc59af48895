package dev.custodian.core.dynamo;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Counting and deleting every item of one partition (pk, sk tables), a page at a time. */
public final class Partitions {

  private Partitions() {}

  /** How many items of the partition have a sort key starting with {@code prefix}. */
  public static long count(DynamoDbClient dynamoDb, String table, String pk, String prefix) {
    return dynamoDb
        .queryPaginator(
            q ->
                q.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk",
                            AttributeValue.fromS(pk),
                            ":prefix",
                            AttributeValue.fromS(prefix)))
                    .select("COUNT"))
        .stream()
        .mapToLong(QueryResponse::count)
        .sum();
  }

  /** The keys of every item of the partition, a page at a time. */
  public static void keys(
      DynamoDbClient dynamoDb,
      String table,
      String pk,
      Consumer<List<Map<String, AttributeValue>>> eachPage) {
    dynamoDb
        .queryPaginator(
            q ->
                q.tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .projectionExpression("pk, sk"))
        .forEach(page -> eachPage.accept(page.items()));
  }

  /** Deletes every item of the partition; memory stays bounded by one page. */
  public static void delete(DynamoDbClient dynamoDb, BatchWriter writer, String table, String pk) {
    keys(dynamoDb, table, pk, page -> writer.deleteAll(table, page));
  }
}
