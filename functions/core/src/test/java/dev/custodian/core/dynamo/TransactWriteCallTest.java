package dev.custodian.core.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The order's transaction as a signed JSON request must be the request the SDK's client would send:
 * the same JSON, item for item, value type for value type.
 */
class TransactWriteCallTest {

  /** Stops the SDK's call once the body is marshalled: nothing is sent. */
  private static final class Captured extends RuntimeException {
    Captured() {
      super("captured", null, false, false);
    }
  }

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

  @Test
  void theRequest_isTheJsonTheSdksClientWouldSend() throws IOException {
    List<TransactWriteItem> items = everyOperation();
    JsonNode sdk = sdkBody(items);
    // the client makes up a token for each call; ours is given
    String token = sdk.path("ClientRequestToken").asText();
    assertThat(token).matches("[0-9a-f-]{36}");
    JsonNode ours = Json.MAPPER.readTree(TransactWriteCall.request(items, token));
    assertThat(ours).isEqualTo(sdk);
  }

  @Test
  void valuesReadBack_areTheValuesWritten() throws IOException {
    byte[] request = TransactWriteCall.request(everyOperation(), "t");
    JsonNode item = Json.MAPPER.readTree(request).path("TransactItems").get(0).path("Put");
    assertThat(DynamoJson.readItem(item.path("Item"))).isEqualTo(EVERY_TYPE);
  }

  @Test
  void emptyExpressionMaps_anUnknownReturnValue_andNullFalse_areSentAsTheClientSendsThem()
      throws IOException {
    List<TransactWriteItem> items =
        List.of(
            TransactWriteItem.builder()
                .put(
                    p ->
                        p.tableName("t")
                            .item(Map.of("pk", AttributeValue.fromNul(false)))
                            .expressionAttributeNames(Map.of())
                            .expressionAttributeValues(Map.of())
                            .returnValuesOnConditionCheckFailure("SOMETHING_NEW"))
                .build());
    JsonNode sdk = sdkBody(items);
    String token = sdk.path("ClientRequestToken").asText();
    assertThat(Json.MAPPER.readTree(TransactWriteCall.request(items, token))).isEqualTo(sdk);
  }

  @Test
  void anItemWithTwoOperations_isRefused_notSentAsOneOfThem() {
    TransactWriteItem both =
        TransactWriteItem.builder()
            .put(p -> p.tableName("t").item(Map.of("pk", AttributeValue.fromS("a"))))
            .delete(d -> d.tableName("t").key(Map.of("pk", AttributeValue.fromS("a"))))
            .build();
    assertThatThrownBy(() -> TransactWriteCall.request(List.of(both), "t"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aValueThatIsNotOneTypedValue_isUnreadable_notACrash() {
    assertThatThrownBy(() -> DynamoJson.read(Json.MAPPER.readTree("{}")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> DynamoJson.read(Json.MAPPER.readTree("{\"S\":\"a\",\"N\":\"1\"}")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void anItemWithNoOperation_isRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(
            () -> TransactWriteCall.request(List.of(TransactWriteItem.builder().build()), "t"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The body the SDK's client marshals for the same items, caught before it is sent. */
  private static JsonNode sdkBody(List<TransactWriteItem> items) throws IOException {
    AtomicReference<byte[]> body = new AtomicReference<>();
    ExecutionInterceptor capture =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            try {
              body.set(
                  context
                      .requestBody()
                      .orElseThrow()
                      .contentStreamProvider()
                      .newStream()
                      .readAllBytes());
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
            throw new Captured();
          }
        };
    try (DynamoDbClient client =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret")))
            .overrideConfiguration(o -> o.addExecutionInterceptor(capture))
            .build()) {
      client.transactWriteItems(b -> b.transactItems(items));
    } catch (Captured expected) {
      // the body is caught
    }
    return Json.MAPPER.readTree(body.get());
  }
}
