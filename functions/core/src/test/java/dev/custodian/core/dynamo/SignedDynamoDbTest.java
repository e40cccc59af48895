package dev.custodian.core.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Each call of the signed client must be the request the SDK's client would send: the same JSON,
 * member for member, value type for value type, for every operation the functions use.
 */
class SignedDynamoDbTest {

  private static final Map<String, AttributeValue> EVERY_TYPE =
      Map.of(
          "pk", AttributeValue.fromS("order#o_1"),
          "n", AttributeValue.fromN("12.50"),
          "b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xff, 42})),
          "yes", AttributeValue.fromBool(true),
          "none", AttributeValue.fromNul(true),
          "ss", AttributeValue.fromSs(List.of("a", "é ü \" \\ ✓")),
          "ns", AttributeValue.fromNs(List.of("1", "2")),
          "bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {7}))),
          "m",
              AttributeValue.fromM(
                  Map.of(
                      "inner",
                      AttributeValue.fromL(
                          List.of(AttributeValue.fromS("x"), AttributeValue.fromN("3"))))),
          "emptyList", AttributeValue.fromL(List.of()));

  private static List<TransactWriteItem> everyOperation() {
    return List.of(
        TransactWriteItem.builder()
            .put(
                p ->
                    p.tableName("orders")
                        .item(EVERY_TYPE)
                        .conditionExpression("attribute_not_exists(pk)"))
            .build(),
        TransactWriteItem.builder()
            .update(
                u ->
                    u.tableName("idempotency")
                        .key(Map.of("pk", AttributeValue.fromS("k")))
                        .updateExpression("SET #s = :s ADD attempts :one")
                        .conditionExpression("#s = :was")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(
                            Map.of(
                                ":s", AttributeValue.fromS("DONE"),
                                ":was", AttributeValue.fromS("IN_PROGRESS"),
                                ":one", AttributeValue.fromN("1")))
                        .returnValuesOnConditionCheckFailure(
                            ReturnValuesOnConditionCheckFailure.ALL_OLD))
            .build(),
        TransactWriteItem.builder()
            .delete(
                d ->
                    d.tableName("requests")
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS("r"), "sk", AttributeValue.fromN("0")))
                        .conditionExpression("attribute_exists(pk)"))
            .build(),
        TransactWriteItem.builder()
            .conditionCheck(
                c ->
                    c.tableName("subjects")
                        .key(Map.of("pk", AttributeValue.fromS("lookup#x")))
                        .conditionExpression("subjectId = :id")
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS("s_1"))))
            .build());
  }

  /** One request of every operation the functions use, with every kind of member set. */
  private static List<SdkRequest> everyRequest() {
    Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k"));
    Map<String, AttributeValue> start =
        Map.of("pk", AttributeValue.fromS("k"), "sk", AttributeValue.fromN("7"));
    return List.of(
        GetItemRequest.builder()
            .tableName("subjects")
            .key(key)
            .consistentRead(true)
            .projectionExpression("#v, b")
            .expressionAttributeNames(Map.of("#v", "version"))
            .build(),
        PutItemRequest.builder()
            .tableName("orders")
            .item(EVERY_TYPE)
            .conditionExpression("attribute_not_exists(pk) OR expiresAt < :now")
            .expressionAttributeValues(Map.of(":now", AttributeValue.fromN("1700000000")))
            .returnValues(ReturnValue.ALL_OLD)
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build(),
        UpdateItemRequest.builder()
            .tableName("requests")
            .key(key)
            .updateExpression("ADD hits :one SET expiresAt = :e REMOVE codeHash")
            .conditionExpression("attribute_not_exists(hits) OR hits < :limit")
            .expressionAttributeValues(
                Map.of(
                    ":one", AttributeValue.fromN("1"),
                    ":limit", AttributeValue.fromN("5"),
                    ":e", AttributeValue.fromN("1700000000")))
            .returnValues(ReturnValue.UPDATED_NEW)
            .build(),
        DeleteItemRequest.builder()
            .tableName("contact")
            .key(key)
            .conditionExpression("subjectId = :s")
            .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("s_1")))
            .build(),
        QueryRequest.builder()
            .tableName("orders")
            .indexName("bySubject")
            .keyConditionExpression("subjectId = :s AND createdAt > :t")
            .filterExpression("attribute_exists(#st)")
            .expressionAttributeNames(Map.of("#st", "status"))
            .expressionAttributeValues(
                Map.of(":s", AttributeValue.fromS("s_1"), ":t", AttributeValue.fromS("2026")))
            .exclusiveStartKey(start)
            .limit(25)
            .scanIndexForward(false)
            .select(Select.ALL_PROJECTED_ATTRIBUTES)
            .build(),
        ScanRequest.builder()
            .tableName("policy")
            .consistentRead(true)
            .projectionExpression("#v, #p, #e")
            .expressionAttributeNames(
                Map.of("#v", "version", "#p", "publishedAt", "#e", "effectiveFrom"))
            .exclusiveStartKey(start)
            .segment(1)
            .totalSegments(4)
            .limit(100)
            .build(),
        BatchGetItemRequest.builder()
            .requestItems(
                Map.of(
                    "catalogue",
                    KeysAndAttributes.builder()
                        .keys(List.of(key, Map.of("pk", AttributeValue.fromS("k2"))))
                        .consistentRead(true)
                        .projectionExpression("pk, price")
                        .build()))
            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
            .build(),
        BatchWriteItemRequest.builder()
            .requestItems(
                Map.of(
                    "analytics",
                    List.of(
                        WriteRequest.builder().putRequest(r -> r.item(EVERY_TYPE)).build(),
                        WriteRequest.builder().deleteRequest(r -> r.key(key)).build())))
            .build(),
        TransactWriteItemsRequest.builder()
            .transactItems(everyOperation())
            .clientRequestToken("5b4f2c8e-token")
            .build(),
        TransactGetItemsRequest.builder()
            .transactItems(
                TransactGetItem.builder()
                    .get(g -> g.tableName("subjects").key(key).projectionExpression("pk"))
                    .build())
            .build());
  }

  @Test
  void everyRequest_isTheJsonTheSdksClientWouldSend() throws IOException {
    for (SdkRequest request : everyRequest()) {
      JsonNode ours = Json.MAPPER.readTree(SignedDynamoDb.body(request));
      assertThat(ours).as(request.getClass().getSimpleName()).isEqualTo(SdkBodies.of(request));
    }
  }

  @Test
  void aTransaction_getsATokenWhenItHasNone_asTheClientFillsItIn() throws IOException {
    TransactWriteItemsRequest request =
        TransactWriteItemsRequest.builder().transactItems(everyOperation()).build();
    JsonNode ours = Json.MAPPER.readTree(SignedDynamoDb.body(request));
    JsonNode sdk = SdkBodies.of(request);
    assertThat(ours.path("ClientRequestToken").asText()).matches("[0-9a-f-]{36}");
    ((com.fasterxml.jackson.databind.node.ObjectNode) ours).remove("ClientRequestToken");
    ((com.fasterxml.jackson.databind.node.ObjectNode) sdk).remove("ClientRequestToken");
    assertThat(ours).isEqualTo(sdk);
  }

  @Test
  void valuesReadBack_areTheValuesWritten() throws IOException {
    byte[] request =
        SignedDynamoDb.body(
            TransactWriteItemsRequest.builder().transactItems(everyOperation()).build());
    JsonNode item = Json.MAPPER.readTree(request).path("TransactItems").get(0).path("Put");
    assertThat(DynamoJson.readItem(item.path("Item"))).isEqualTo(EVERY_TYPE);
  }

  @Test
  void emptyExpressionMaps_anUnknownReturnValue_andNullFalse_areSentAsTheClientSendsThem()
      throws IOException {
    PutItemRequest request =
        PutItemRequest.builder()
            .tableName("t")
            .item(Map.of("pk", AttributeValue.fromNul(false)))
            .expressionAttributeNames(Map.of())
            .expressionAttributeValues(Map.of())
            .returnValuesOnConditionCheckFailure("SOMETHING_NEW")
            .build();
    assertThat(Json.MAPPER.readTree(SignedDynamoDb.body(request))).isEqualTo(SdkBodies.of(request));
  }

  @Test
  void aValueThatIsNotOneTypedValue_isUnreadable_notACrash() {
    assertThatThrownBy(() -> DynamoJson.read(Json.MAPPER.readTree("{}")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> DynamoJson.read(Json.MAPPER.readTree("{\"S\":\"a\",\"N\":\"1\"}")))
        .isInstanceOf(IOException.class);
  }
}
