package dev.custodian.core.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.dynamo.ScriptedDynamoDb.Reply;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The signed client against the SDK's client at the edges a review found: refusals named only in
 * the body (as real DynamoDB names them, with no {@code x-amzn-ErrorType} header) that also return
 * a large or deeply nested item, a lost answer (sent once per attempt, as the client sends it), an
 * attribute value with no type, legacy request members, rich answers, paginators, concurrency.
 */
class SignedDynamoDbEdgesTest {

  private ScriptedDynamoDb dynamo;

  @AfterEach
  void stop() {
    if (dynamo != null) {
      dynamo.close();
    }
  }

  private SignedDynamoDb dynamoDb(IntFunction<Reply> script) throws IOException {
    dynamo = new ScriptedDynamoDb(script);
    return dynamo.signed();
  }

  private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("k"));

  private static PutItemRequest conditionalPut() {
    return PutItemRequest.builder()
        .tableName("t")
        .item(KEY)
        .conditionExpression("attribute_not_exists(pk)")
        .returnValuesOnConditionCheckFailure("ALL_OLD")
        .build();
  }

  // the error's type is read from the body with the strict request mapper (Json.MAPPER:
  // 64 KB strings, 64 levels, duplicate keys refused). Real DynamoDB names the error only in the
  // body's __type (no x-amzn-ErrorType header), so a refusal whose body carries a returned item
  // (ReturnValuesOnConditionCheckFailure=ALL_OLD, in a ConditionalCheckFailedException or a
  // TransactionCanceledException's reasons) with one attribute over 64 KB, or nested over ~30
  // levels, loses its type: it comes back as a plain DynamoDbException("unknown").

  @Test
  void
      defect_aFailedCondition_withoutTheTypeHeader_andABigReturnedItem_isStillTheModelledException()
          throws IOException {
    String big = "x".repeat(70_000);
    String body =
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
            + "\"message\":\"The conditional request failed\","
            + "\"Item\":{\"pk\":{\"S\":\"k\"},\"text\":{\"S\":\""
            + big
            + "\"}}}";
    SignedDynamoDb ours = dynamoDb(n -> new Reply(400, null, body));
    // the SDK's client reads the same bytes as the modelled exception, with its item
    try (DynamoDbClient sdk = dynamo.sdk()) {
      assertThatThrownBy(() -> sdk.putItem(conditionalPut()))
          .isInstanceOf(ConditionalCheckFailedException.class);
    }
    assertThatThrownBy(() -> ours.putItem(conditionalPut()))
        .isInstanceOfSatisfying(
            ConditionalCheckFailedException.class,
            e -> assertThat(e.item().get("text").s()).hasSize(70_000));
  }

  @Test
  void aCancellation_withoutTheTypeHeader_andADeeplyNestedReturnedItem_isStillACancellation()
      throws IOException {
    // DynamoDB allows 32 levels of nested attributes; 30 here
    String value = "{\"S\":\"leaf\"}";
    for (int i = 0; i < 30; i++) {
      value = "{\"M\":{\"a\":" + value + "}}";
    }
    String body =
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
            + "\"Message\":\"Transaction cancelled\",\"CancellationReasons\":["
            + "{\"Code\":\"ConditionalCheckFailed\",\"Item\":{\"pk\":{\"S\":\"k\"},\"deep\":"
            + value
            + "}}]}";
    SignedDynamoDb ours = dynamoDb(n -> new Reply(400, null, body));
    TransactWriteItemsRequest request =
        TransactWriteItemsRequest.builder()
            .transactItems(
                TransactWriteItem.builder()
                    .put(
                        p ->
                            p.tableName("t")
                                .item(KEY)
                                .conditionExpression("attribute_not_exists(pk)"))
                    .build())
            .build();
    try (DynamoDbClient sdk = dynamo.sdk()) {
      assertThatThrownBy(() -> sdk.transactWriteItems(request))
          .isInstanceOf(TransactionCanceledException.class);
    }
    assertThatThrownBy(() -> ours.transactWriteItems(request))
        .isInstanceOfSatisfying(
            TransactionCanceledException.class,
            e -> assertThat(Cancellations.conditionFailedAt(e, 0)).isTrue());
  }

  @Test
  void withoutTheTypeHeader_aSmallRefusal_isTyped_fromTheBody() throws IOException {
    String body =
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
            + "\"message\":\"The conditional request failed\",\"Item\":{\"pk\":{\"S\":\"k\"}}}";
    SignedDynamoDb ours = dynamoDb(n -> new Reply(400, null, body));
    assertThatThrownBy(() -> ours.putItem(conditionalPut()))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(dynamo.requests()).hasSize(1);
  }

  // a request value the SDK would send as {} (a null or empty AttributeValue, e.g.
  // AttributeValue.fromS(null)) and DynamoDB refuse with a ValidationException (DynamoDbException),
  // is a NullPointerException here, thrown before any call: not an SdkException.

  @Test
  void aNullAttributeValue_failsAsTheClientFails_withAnSdkException() throws IOException {
    PutItemRequest request =
        PutItemRequest.builder()
            .tableName("t")
            .item(Map.of("pk", AttributeValue.fromS("k"), "name", AttributeValue.fromS(null)))
            .build();
    // what the SDK's client sends: the value as {}
    assertThat(SdkBodies.of(request).path("Item").path("name").toString()).isEqualTo("{}");
    SignedDynamoDb ours =
        dynamoDb(
            n ->
                new Reply(
                    400,
                    null,
                    "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
                        + "\"message\":\"Supplied AttributeValue is empty\"}"));
    assertThatThrownBy(() -> ours.putItem(request)).isInstanceOf(SdkException.class);
  }

  // Checked correct: legacy and rarely used request members, explicitly empty lists, enums, the
  // same JSON as the SDK's client.

  @Test
  void moreRequests_areTheJsonTheSdksClientWouldSend() throws IOException {
    Map<String, AttributeValue> key = KEY;
    List<SdkRequest> requests =
        List.of(
            QueryRequest.builder()
                .tableName("t")
                .attributesToGet(List.of())
                .keyConditions(
                    Map.of(
                        "pk",
                        Condition.builder()
                            .comparisonOperator(ComparisonOperator.EQ)
                            .attributeValueList(AttributeValue.fromS("k"))
                            .build()))
                .queryFilter(
                    Map.of(
                        "n",
                        Condition.builder()
                            .comparisonOperator("BETWEEN")
                            .attributeValueList(
                                AttributeValue.fromN("1"), AttributeValue.fromN("9"))
                            .build()))
                .conditionalOperator("AND")
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .exclusiveStartKey(Map.of())
                .build(),
            ScanRequest.builder()
                .tableName("t")
                .scanFilter(Map.of("a", Condition.builder().comparisonOperator("NOT_NULL").build()))
                .returnConsumedCapacity("TOTAL")
                .build(),
            PutItemRequest.builder()
                .tableName("t")
                .item(key)
                .expected(
                    Map.of(
                        "pk", ExpectedAttributeValue.builder().exists(false).build(),
                        "v",
                            ExpectedAttributeValue.builder()
                                .value(AttributeValue.fromN("1"))
                                .comparisonOperator("EQ")
                                .build()))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)
                .build(),
            UpdateItemRequest.builder()
                .tableName("t")
                .key(key)
                .attributeUpdates(
                    Map.of(
                        "v",
                        AttributeValueUpdate.builder()
                            .action("ADD")
                            .value(AttributeValue.fromN("1"))
                            .build()))
                .build(),
            DeleteItemRequest.builder()
                .tableName("t")
                .key(key)
                .returnValues("ALL_OLD")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .returnItemCollectionMetrics("SIZE")
                .build(),
            GetItemRequest.builder().tableName("t").key(key).attributesToGet("a", "b").build(),
            BatchGetItemRequest.builder()
                .requestItems(
                    Map.of(
                        "t",
                        KeysAndAttributes.builder()
                            .keys(key)
                            .expressionAttributeNames(Map.of("#a", "a"))
                            .projectionExpression("#a")
                            .build()))
                .build(),
            TransactWriteItemsRequest.builder()
                .transactItems(
                    TransactWriteItem.builder()
                        .put(p -> p.tableName("t").item(key).expressionAttributeNames(Map.of()))
                        .build())
                .clientRequestToken("tok")
                .returnConsumedCapacity("TOTAL")
                .returnItemCollectionMetrics("SIZE")
                .build(),
            TransactGetItemsRequest.builder()
                .transactItems(
                    TransactGetItem.builder()
                        .get(
                            g ->
                                g.tableName("t")
                                    .key(key)
                                    .expressionAttributeNames(Map.of("#p", "pk")))
                        .build())
                .returnConsumedCapacity("TOTAL")
                .build());
    for (SdkRequest request : requests) {
      assertThat(Json.MAPPER.readTree(SignedDynamoDb.body(request)))
          .as(request.getClass().getSimpleName())
          .isEqualTo(SdkBodies.of(request));
    }
  }

  // Checked correct: answers with capacity lists and maps, item collection metrics, transaction
  // reads, read into the same objects as the client reads; unprocessed items sent again as read.

  private static final String ITEM = "{\"pk\":{\"S\":\"k\"},\"n\":{\"N\":\"-1.5E+3\"}}";
  private static final String CAPACITY =
      "{\"TableName\":\"t\",\"CapacityUnits\":3.5,\"ReadCapacityUnits\":1,"
          + "\"WriteCapacityUnits\":2.5,\"Table\":{\"CapacityUnits\":1.0,\"ReadCapacityUnits\":0.5},"
          + "\"GlobalSecondaryIndexes\":{\"g\":{\"CapacityUnits\":2}},"
          + "\"LocalSecondaryIndexes\":{\"l\":{\"WriteCapacityUnits\":0.5}}}";
  private static final String METRICS =
      "{\"ItemCollectionKey\":{\"pk\":{\"S\":\"k\"}},\"SizeEstimateRangeGB\":[0.0,1.0]}";

  @Test
  void richAnswers_areTheObjectsTheSdksClientReads() throws IOException {
    AtomicReference<String> next = new AtomicReference<>();
    SignedDynamoDb ours = dynamoDb(n -> new Reply(200, null, next.get()));
    try (DynamoDbClient sdk = dynamo.sdk()) {
      next.set(
          "{\"ConsumedCapacity\":["
              + CAPACITY
              + "],\"ItemCollectionMetrics\":{\"t\":["
              + METRICS
              + "]}}");
      TransactWriteItemsRequest tw =
          TransactWriteItemsRequest.builder()
              .transactItems(
                  TransactWriteItem.builder().put(p -> p.tableName("t").item(KEY)).build())
              .build();
      assertSame(ours.transactWriteItems(tw), sdk.transactWriteItems(tw));

      next.set(
          "{\"Attributes\":"
              + ITEM
              + ",\"ConsumedCapacity\":"
              + CAPACITY
              + ",\"ItemCollectionMetrics\":"
              + METRICS
              + "}");
      PutItemRequest put = PutItemRequest.builder().tableName("t").item(KEY).build();
      assertSame(ours.putItem(put), sdk.putItem(put));
      DeleteItemRequest delete = DeleteItemRequest.builder().tableName("t").key(KEY).build();
      assertSame(ours.deleteItem(delete), sdk.deleteItem(delete));

      next.set(
          "{\"Responses\":[{\"Item\":" + ITEM + "},{}],\"ConsumedCapacity\":[" + CAPACITY + "]}");
      TransactGetItemsRequest tg =
          TransactGetItemsRequest.builder()
              .transactItems(TransactGetItem.builder().get(g -> g.tableName("t").key(KEY)).build())
              .build();
      assertSame(ours.transactGetItems(tg), sdk.transactGetItems(tg));

      next.set(
          "{\"Items\":[],\"Count\":0,\"ScannedCount\":0,\"ConsumedCapacity\":" + CAPACITY + "}");
      ScanRequest scan = ScanRequest.builder().tableName("t").build();
      assertSame(ours.scan(scan), sdk.scan(scan));

      next.set(
          "{\"UnprocessedItems\":{\"t\":[{\"PutRequest\":{\"Item\":"
              + ITEM
              + "}},{\"DeleteRequest\":{\"Key\":{\"pk\":{\"S\":\"d\"}}}}]},"
              + "\"ItemCollectionMetrics\":{\"t\":["
              + METRICS
              + "]},\"ConsumedCapacity\":["
              + CAPACITY
              + "]}");
      BatchWriteItemRequest bw =
          BatchWriteItemRequest.builder()
              .requestItems(
                  Map.of("t", List.of(WriteRequest.builder().putRequest(r -> r.item(KEY)).build())))
              .build();
      BatchWriteItemResponse left = ours.batchWriteItem(bw);
      assertSame(left, sdk.batchWriteItem(bw));
      // BatchWriter sends the unprocessed items again as read: the same JSON DynamoDB gave
      JsonNode again =
          Json.MAPPER.readTree(
              SignedDynamoDb.body(
                  BatchWriteItemRequest.builder().requestItems(left.unprocessedItems()).build()));
      assertThat(again.path("RequestItems"))
          .isEqualTo(Json.MAPPER.readTree(next.get()).path("UnprocessedItems"));
    }
  }

  @Test
  void theQueryPaginator_followsLastEvaluatedKey_andStopsWithoutOne() throws IOException {
    SignedDynamoDb ours =
        dynamoDb(
            n ->
                n == 1
                    ? new Reply(
                        200,
                        null,
                        "{\"Items\":["
                            + ITEM
                            + "],\"Count\":1,\"LastEvaluatedKey\":{\"pk\":{\"S\":\"k\"}}}")
                    : new Reply(200, null, "{\"Items\":[" + ITEM + "],\"Count\":1}"));
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    ours.queryPaginator(q -> q.tableName("t").keyConditionExpression("pk = :k"))
        .items()
        .forEach(items::add);
    assertThat(items).hasSize(2);
    assertThat(dynamo.requests()).hasSize(2);
    assertThat(Json.MAPPER.readTree(dynamo.requests().get(0)).has("ExclusiveStartKey")).isFalse();
    assertThat(
            Json.MAPPER
                .readTree(dynamo.requests().get(1))
                .path("ExclusiveStartKey")
                .path("pk")
                .path("S")
                .asText())
        .isEqualTo("k");
    QueryResponse last = ours.query(q -> q.tableName("t"));
    assertThat(last.hasLastEvaluatedKey()).isFalse();
  }

  @Test
  void aServerErrorThatIsNotJson_isTriedFourTimes_thenTheSdksException() throws IOException {
    SignedDynamoDb ours = dynamoDb(n -> new Reply(503, null, "<html>Service Unavailable</html>"));
    assertThatThrownBy(() -> ours.getItem(g -> g.tableName("t").key(KEY)))
        .isInstanceOfSatisfying(
            DynamoDbException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThat(dynamo.requests()).hasSize(4);
  }

  @Test
  void concurrentCalls_fromOneClient_eachGetTheirOwnAnswer() throws Exception {
    SignedDynamoDb ours =
        dynamoDb(
            n -> {
              String req = dynamo.requests().get(n - 1);
              String pk;
              try {
                pk = Json.MAPPER.readTree(req).path("Key").path("pk").path("S").asText();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              return new Reply(200, null, "{\"Item\":{\"pk\":{\"S\":\"" + pk + "\"}}}");
            });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String pk = "k" + i;
        results.add(
            pool.submit(
                () ->
                    pk.equals(
                        ours.getItem(
                                g -> g.tableName("t").key(Map.of("pk", AttributeValue.fromS(pk))))
                            .item()
                            .get("pk")
                            .s())));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // The signed request carries no Content-Length, so the JDK's HttpURLConnection buffers it and
  // (sun.net.http.retryPost, on by default) sends a POST once more by itself when the answer is
  // lost, before SignedDynamoDb's own retry. With a Content-Length (as the SDK sends) the
  // connection
  // streams the body after the headers instead, and on loopback that cost each call about a
  // millisecond of waiting (a warm order's own time 2.46 ms against 1.29 ms, docs/benchmarks.md).
  // The resend is the same bytes: a transaction's token makes it harmless, and the functions' other
  // writes are conditional or counters that tolerate a repeat, as they tolerate the SDK's retries.

  @Test
  void aLostAnswer_isSentAtMostTwicePerAttempt_theSameBytesEachTime() throws IOException {
    SignedDynamoDb ours = dynamoDb(n -> Reply.DROP); // the connection ends without an answer
    UpdateItemRequest add =
        UpdateItemRequest.builder()
            .tableName("t")
            .key(KEY)
            .updateExpression("ADD hits :one")
            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
            .build();
    assertThatThrownBy(() -> ours.updateItem(add)).isInstanceOf(SdkException.class);
    assertThat(dynamo.requests()).as("sends for SignedDynamoDb's 4 attempts").hasSizeBetween(4, 8);
    assertThat(dynamo.requests()).allMatch(dynamo.requests().get(0)::equals);
  }

  @Test
  void anInstantMember_isTheClientsEpochSeconds_numerically() throws IOException {
    // no operation the functions use has one; checked for the generic writer all the same
    software.amazon.awssdk.services.dynamodb.model.RestoreTableToPointInTimeRequest request =
        software.amazon.awssdk.services.dynamodb.model.RestoreTableToPointInTimeRequest.builder()
            .sourceTableName("a")
            .targetTableName("b")
            .restoreDateTime(java.time.Instant.ofEpochMilli(1_700_000_000_123L))
            .build();
    JsonNode sdk = SdkBodies.of(client -> client.restoreTableToPointInTime(request));
    JsonNode ours = Json.MAPPER.readTree(SignedDynamoDb.body(request));
    assertThat(ours.path("RestoreDateTime").decimalValue())
        .isEqualByComparingTo(sdk.path("RestoreDateTime").decimalValue());
  }

  private static void assertSame(SdkPojo ours, SdkPojo sdk) {
    assertThat(ours.equalsBySdkFields(sdk)).as("%s against %s", ours, sdk).isTrue();
  }
}
