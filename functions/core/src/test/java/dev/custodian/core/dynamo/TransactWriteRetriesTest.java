package dev.custodian.core.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The transaction's answers as a scripted DynamoDB gives them, the edge cases moto does not: lost
 * connections, a retry meeting the first attempt still in progress, unreadable cancellations.
 */
class TransactWriteRetriesTest {

  /** What the fake answers to its nth request (1-based): a status and error type, or a drop. */
  private record Reply(int status, String errorType, String body) {
    static final Reply DROP = new Reply(0, null, null);
  }

  private static final List<TransactWriteItem> ITEMS =
      List.of(
          TransactWriteItem.builder()
              .put(p -> p.tableName("t").item(Map.of("pk", AttributeValue.fromS("a"))))
              .build());

  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private TransactWriteCall dynamoDb(IntFunction<Reply> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] request = exchange.getRequestBody().readAllBytes();
          tokens.add(Json.MAPPER.readTree(request).path("ClientRequestToken").asText());
          answer(exchange, script.apply(tokens.size()));
        });
    server.start();
    return new TransactWriteCall(
        AwsClients.fromEnvironment(
            Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "AKID",
                "AWS_SECRET_ACCESS_KEY", "secret")),
        "test");
  }

  private static void answer(HttpExchange exchange, Reply reply) throws IOException {
    if (reply == Reply.DROP) {
      exchange.close(); // no status line: the client sees the connection end
      return;
    }
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    if (reply.errorType() != null) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", reply.errorType());
    }
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  @Test
  void lostAnswers_andATransactionStillInProgress_areTriedAgain_withTheSameToken()
      throws IOException {
    TransactWriteCall call =
        dynamoDb(
            n ->
                switch (n) {
                  case 1, 2, 3 -> Reply.DROP; // the JDK's client resends a POST once by itself
                  case 4 -> new Reply(400, "TransactionInProgressException", "{}");
                  default -> new Reply(200, null, "{}");
                });
    call.write(ITEMS);
    assertThat(tokens).hasSizeGreaterThanOrEqualTo(5);
    assertThat(tokens).allMatch(tokens.get(0)::equals);
  }

  @Test
  void aRefusalThatIsNotTransient_isNotTriedAgain() throws IOException {
    TransactWriteCall call = dynamoDb(n -> new Reply(400, "ValidationException", "{}"));
    assertThatThrownBy(() -> call.write(ITEMS))
        .isInstanceOf(DynamoDbException.class)
        .isNotInstanceOf(TransactionCanceledException.class)
        .hasMessageContaining("ValidationException");
    assertThat(tokens).hasSize(1);
  }

  @Test
  void aCancellationWithAnUnreadableBody_isStillACancellation_withNoReasons() throws IOException {
    TransactWriteCall call =
        dynamoDb(n -> new Reply(400, "TransactionCanceledException", "not json"));
    assertThatThrownBy(() -> call.write(ITEMS))
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
    TransactWriteCall call = dynamoDb(n -> new Reply(400, "TransactionCanceledException", body));
    assertThatThrownBy(() -> call.write(ITEMS))
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
}
