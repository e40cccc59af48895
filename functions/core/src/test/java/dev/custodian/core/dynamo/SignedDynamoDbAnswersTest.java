package dev.custodian.core.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.core.dynamo.ScriptedDynamoDb.Reply;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The signed client's answers as a scripted DynamoDB gives them: each read into the same object the
 * SDK's client reads from the same bytes, and the edge cases moto does not give: lost connections,
 * a retry meeting the first attempt still in progress, unreadable cancellations.
 */
class SignedDynamoDbAnswersTest {

  private static final List<TransactWriteItem> ITEMS =
      List.of(
          TransactWriteItem.builder()
              .put(p -> p.tableName("t").item(Map.of("pk", AttributeValue.fromS("a"))))
              .build());

  private ScriptedDynamoDb dynamo;

  @AfterEach
  void stop() {
    if (dynamo != null) {
      dynamo.close();
    }
  }

  private SignedDynamoDb dynamoDb(IntFunction<Reply> script, ExecutionInterceptor... seen)
      throws IOException {
    dynamo = new ScriptedDynamoDb(script);
    return dynamo.signed(seen);
  }

  /** Each request's idempotency token (empty where it has none), in order. */
  private List<String> tokens() throws IOException {
    List<String> tokens = new java.util.ArrayList<>();
    for (String request : dynamo.requests()) {
      tokens.add(Json.MAPPER.readTree(request).path("ClientRequestToken").asText());
    }
    return tokens;
  }

  @Test
  void lostAnswers_andATransactionStillInProgress_areTriedAgain_withTheSameToken()
      throws IOException {
    SignedDynamoDb call =
        dynamoDb(
            n ->
                switch (n) {
                  case 1, 2 -> Reply.DROP;
                  case 3 -> new Reply(400, "TransactionInProgressException", "{}");
                  default -> new Reply(200, null, "{}");
                });
    call.transactWriteItems(b -> b.transactItems(ITEMS));
    // two lost, one in progress, one done: whether the JDK's connection resent a lost one by
    // itself (SignedDynamoDbEdgesTest) or the next attempt did, four sends with one token
    assertThat(tokens()).hasSize(4);
    assertThat(tokens()).allMatch(tokens().get(0)::equals);
  }

  @Test
  void aRefusalThatIsNotTransient_isNotTriedAgain() throws IOException {
    SignedDynamoDb call = dynamoDb(n -> new Reply(400, "ValidationException", "{}"));
    assertThatThrownBy(() -> call.transactWriteItems(b -> b.transactItems(ITEMS)))
        .isExactlyInstanceOf(DynamoDbException.class)
        .isNotInstanceOf(TransactionCanceledException.class)
        .hasMessageContaining("ValidationException");
    assertThat(tokens()).hasSize(1);
  }

  @Test
  void aCancellationWithAnUnreadableBody_isStillACancellation_withNoReasons() throws IOException {
    SignedDynamoDb call = dynamoDb(n -> new Reply(400, "TransactionCanceledException", "not json"));
    assertThatThrownBy(() -> call.transactWriteItems(b -> b.transactItems(ITEMS)))
        .isInstanceOfSatisfying(
            TransactionCanceledException.class, e -> assertThat(e.cancellationReasons()).isEmpty());
  }

  @Test
  void aCancellationsReasons_andTheItemsReturned_areTheSdksTypes() throws IOException {
    String body =
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
            + "\"Message\":\"Transaction cancelled\",\"CancellationReasons\":["
            + "{\"Code\":\"None\"},"
            + "{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"The conditional request failed\","
            + "\"Item\":{\"pk\":{\"S\":\"k\"},\"n\":{\"N\":\"1.50\"},\"b\":{\"B\":\"AAE=\"}}}]}";
    SignedDynamoDb call = dynamoDb(n -> new Reply(400, "TransactionCanceledException", body));
    assertThatThrownBy(() -> call.transactWriteItems(b -> b.transactItems(ITEMS)))
        .isInstanceOfSatisfying(
            TransactionCanceledException.class,
            e -> {
              assertThat(e.cancellationReasons()).hasSize(2);
              assertThat(Cancellations.conditionFailedAt(e, 1)).isTrue();
              assertThat(e.cancellationReasons().get(1).item().get("n").n()).isEqualTo("1.50");
              assertThat(e.cancellationReasons().get(1).item().get("b").b().asByteArray())
                  .containsExactly(0, 1);
              // the service's message is not carried: it may quote what was written
              assertThat(e.getMessage()).doesNotContain("conditional request failed");
            });
  }

  private static final String ITEM =
      "{\"pk\":{\"S\":\"k\"},\"n\":{\"N\":\"1.50\"},\"b\":{\"B\":\"AAE=\"},"
          + "\"m\":{\"M\":{\"l\":{\"L\":[{\"SS\":[\"a\",\"b\"]},{\"NULL\":true}]}}}}";

  @Test
  void answers_areTheObjectsTheSdksClientReadsFromTheSameBytes() throws IOException {
    AtomicReference<String> next = new AtomicReference<>();
    SignedDynamoDb ours = dynamoDb(n -> new Reply(200, null, next.get()));
    Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k"));
    try (DynamoDbClient sdk = dynamo.sdk()) {
      next.set("{\"Item\":" + ITEM + "}");
      GetItemRequest get = GetItemRequest.builder().tableName("t").key(key).build();
      GetItemResponse found = ours.getItem(get);
      assertSameMembers(found, sdk.getItem(get));
      assertThat(found.item().get("m").m().get("l").l().get(1).nul()).isTrue();
      assertThat(found.item().get("b").b().asByteArray()).containsExactly(0, 1);

      next.set("{}");
      GetItemResponse absent = ours.getItem(get);
      assertSameMembers(absent, sdk.getItem(get));
      assertThat(absent.hasItem()).isFalse();

      next.set(
          "{\"Items\":["
              + ITEM
              + ","
              + ITEM
              + "],\"Count\":2,\"ScannedCount\":9,"
              + "\"LastEvaluatedKey\":{\"pk\":{\"S\":\"k\"}},"
              + "\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":1.5}}");
      QueryRequest query = QueryRequest.builder().tableName("t").build();
      QueryResponse page = ours.query(query);
      assertSameMembers(page, sdk.query(query));
      assertThat(page.items()).hasSize(2);
      assertThat(page.count()).isEqualTo(2);
      assertThat(page.lastEvaluatedKey()).isEqualTo(key);
      assertThat(page.consumedCapacity().capacityUnits()).isEqualTo(1.5);

      next.set(
          "{\"Responses\":{\"t\":["
              + ITEM
              + "]},\"UnprocessedKeys\":{\"t\":{\"Keys\":"
              + "[{\"pk\":{\"S\":\"x\"}}],\"ConsistentRead\":true}}}");
      BatchGetItemRequest batch =
          BatchGetItemRequest.builder()
              .requestItems(Map.of("t", KeysAndAttributes.builder().keys(key).build()))
              .build();
      BatchGetItemResponse got = ours.batchGetItem(batch);
      assertSameMembers(got, sdk.batchGetItem(batch));
      assertThat(got.unprocessedKeys().get("t").keys()).hasSize(1);

      next.set("{\"Attributes\":" + ITEM + "}");
      UpdateItemRequest update = UpdateItemRequest.builder().tableName("t").key(key).build();
      assertSameMembers(ours.updateItem(update), sdk.updateItem(update));

      next.set("{\"UnprocessedItems\":{\"t\":[{\"PutRequest\":{\"Item\":" + ITEM + "}}]}}");
      BatchWriteItemRequest write =
          BatchWriteItemRequest.builder()
              .requestItems(
                  Map.of("t", List.of(WriteRequest.builder().putRequest(r -> r.item(key)).build())))
              .build();
      BatchWriteItemResponse left = ours.batchWriteItem(write);
      assertSameMembers(left, sdk.batchWriteItem(write));
      assertThat(left.unprocessedItems().get("t")).hasSize(1);
    }
  }

  @Test
  void aFailedCondition_isTheSdksException_withTheItemReturned() throws IOException {
    String body =
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
            + "\"message\":\"The conditional request failed\",\"Item\":"
            + ITEM
            + "}";
    SignedDynamoDb call = dynamoDb(n -> new Reply(400, "ConditionalCheckFailedException", body));
    assertThatThrownBy(
            () ->
                call.putItem(
                    p ->
                        p.tableName("t")
                            .item(Map.of("pk", AttributeValue.fromS("k")))
                            .conditionExpression("attribute_not_exists(pk)")))
        .isInstanceOfSatisfying(
            ConditionalCheckFailedException.class,
            e -> {
              assertThat(e.item().get("n").n()).isEqualTo("1.50");
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode())
                  .isEqualTo("ConditionalCheckFailedException");
              assertThat(e.getMessage()).doesNotContain("conditional request failed");
            });
    assertThat(tokens()).hasSize(1);
  }

  @Test
  void anItemOfDynamoDbsLargestSize_isRead() throws IOException {
    byte[] bundle = new byte[399_000];
    new java.util.Random(7).nextBytes(bundle);
    String body =
        "{\"Item\":{\"pk\":{\"S\":\"k\"},\"bundle\":{\"B\":\""
            + java.util.Base64.getEncoder().encodeToString(bundle)
            + "\"}}}";
    SignedDynamoDb call = dynamoDb(n -> new Reply(200, null, body));
    assertThat(
            call.getItem(g -> g.tableName("t").key(Map.of("pk", AttributeValue.fromS("k"))))
                .item()
                .get("bundle")
                .b()
                .asByteArray())
        .isEqualTo(bundle);
  }

  @Test
  void aDynamoDbThatCannotBeReached_orAnswersNonsense_isTheClientsSdkClientException()
      throws IOException {
    SignedDynamoDb dropped = dynamoDb(n -> Reply.DROP);
    Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k"));
    assertThatThrownBy(() -> dropped.getItem(g -> g.tableName("t").key(key)))
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining("GetItem");
    // every attempt made (each sent once more by the JDK's connection itself, at most)
    assertThat(tokens()).hasSizeBetween(4, 8);
    stop();
    SignedDynamoDb nonsense = dynamoDb(n -> new Reply(200, null, "<html>"));
    assertThatThrownBy(() -> nonsense.getItem(g -> g.tableName("t").key(key)))
        .isInstanceOf(SdkClientException.class);
  }

  @Test
  void aMissingTable_isTheSdksException() throws IOException {
    SignedDynamoDb call = dynamoDb(n -> new Reply(400, "ResourceNotFoundException", "{}"));
    assertThatThrownBy(
            () -> call.getItem(g -> g.tableName("t").key(Map.of("pk", AttributeValue.fromS("k")))))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void throttling_isTriedAgain_thenAnswered() throws IOException {
    SignedDynamoDb call =
        dynamoDb(
            n ->
                n < 3
                    ? new Reply(400, "ProvisionedThroughputExceededException", "{}")
                    : new Reply(200, null, "{\"Item\":" + ITEM + "}"));
    assertThat(
            call.getItem(g -> g.tableName("t").key(Map.of("pk", AttributeValue.fromS("k")))).item())
        .containsKey("m");
    assertThat(tokens()).hasSize(3);
  }

  @Test
  void interceptors_seeEveryCall_byItsOperation_andMayStopIt() throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    ExecutionInterceptor watch =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            seen.add(
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)
                    + ":"
                    + context.request().getClass().getSimpleName());
            if (context.request() instanceof DeleteItemRequest) {
              throw SdkClientException.create("stopped");
            }
          }
        };
    SignedDynamoDb call = dynamoDb(n -> new Reply(200, null, "{}"), watch);
    Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k"));
    call.getItem(g -> g.tableName("t").key(key));
    call.transactWriteItems(b -> b.transactItems(ITEMS));
    assertThatThrownBy(() -> call.deleteItem(d -> d.tableName("t").key(key)))
        .isInstanceOf(SdkClientException.class);
    assertThat(seen)
        .containsExactly(
            "GetItem:GetItemRequest",
            "TransactWriteItems:TransactWriteItemsRequest",
            "DeleteItem:DeleteItemRequest");
    assertThat(tokens()).hasSize(2); // the stopped call was never sent
  }

  /** The same members (the response's metadata, which the SDK's equals also compares, aside). */
  private static void assertSameMembers(SdkPojo ours, SdkPojo sdk) {
    assertThat(ours.equalsBySdkFields(sdk)).as("%s against %s", ours, sdk).isTrue();
  }
}
