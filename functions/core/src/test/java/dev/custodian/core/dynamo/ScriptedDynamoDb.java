package dev.custodian.core.dynamo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.custodian.core.aws.AwsClients;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB on loopback that answers each request as a script says (by the request's number, from
 * 1), and keeps every request's body: for the answers and failures moto does not give.
 */
final class ScriptedDynamoDb implements AutoCloseable {

  /**
   * One answer: a status, the error type as a header (null: none, as real DynamoDB sends, which
   * names the error only in the body's {@code __type}) and a body; {@link #DROP} ends the
   * connection without an answer.
   */
  record Reply(int status, String errorTypeHeader, String body) {
    static final Reply DROP = new Reply(0, null, null);
  }

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  ScriptedDynamoDb(IntFunction<Reply> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          String request =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int n;
          synchronized (requests) {
            requests.add(request);
            n = requests.size();
          }
          answer(exchange, script.apply(n));
        });
    server.start();
  }

  /** Every request's body so far, in order. */
  List<String> requests() {
    return requests;
  }

  AwsClients clients(ExecutionInterceptor... interceptors) {
    return AwsClients.fromEnvironment(
            Map.of(
                "AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "AKID",
                "AWS_SECRET_ACCESS_KEY", "secret"))
        .withInterceptors(interceptors);
  }

  /** The client under test, against this DynamoDB. */
  SignedDynamoDb signed(ExecutionInterceptor... interceptors) {
    return new SignedDynamoDb(clients(interceptors), "test");
  }

  /** The SDK's own client against this DynamoDB, without its retries. */
  DynamoDbClient sdk() {
    return DynamoDbClient.builder()
        .region(Region.EU_WEST_1)
        .endpointOverride(clients().endpoint().orElseThrow())
        .credentialsProvider(clients().credentials())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private static void answer(HttpExchange exchange, Reply reply) throws IOException {
    if (reply == null || reply == Reply.DROP) {
      exchange.close(); // no status line: the client sees the connection end
      return;
    }
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    if (reply.errorTypeHeader() != null) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", reply.errorTypeHeader());
    }
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
