package dev.custodian.core.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The body the SDK's own client marshals for a request, caught before anything is sent. */
final class SdkBodies {

  /** Stops the SDK's call once the body is marshalled. */
  private static final class Captured extends RuntimeException {
    Captured() {
      super("captured", null, false, false);
    }
  }

  private SdkBodies() {}

  /** The SDK client's body for one of the operations the functions use. */
  static JsonNode of(SdkRequest request) throws IOException {
    return of(client -> send(client, request));
  }

  /** The SDK client's body for whatever {@code call} makes it send. */
  static JsonNode of(Consumer<DynamoDbClient> call) throws IOException {
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
      call.accept(client);
    } catch (Captured expected) {
      // the body is caught
    }
    return Json.MAPPER.readTree(body.get());
  }

  private static void send(DynamoDbClient client, SdkRequest request) {
    if (request instanceof GetItemRequest r) {
      client.getItem(r);
    } else if (request instanceof PutItemRequest r) {
      client.putItem(r);
    } else if (request instanceof UpdateItemRequest r) {
      client.updateItem(r);
    } else if (request instanceof DeleteItemRequest r) {
      client.deleteItem(r);
    } else if (request instanceof QueryRequest r) {
      client.query(r);
    } else if (request instanceof ScanRequest r) {
      client.scan(r);
    } else if (request instanceof BatchGetItemRequest r) {
      client.batchGetItem(r);
    } else if (request instanceof BatchWriteItemRequest r) {
      client.batchWriteItem(r);
    } else if (request instanceof TransactWriteItemsRequest r) {
      client.transactWriteItems(r);
    } else if (request instanceof TransactGetItemsRequest r) {
      client.transactGetItems(r);
    } else {
      throw new IllegalArgumentException(request.getClass().getName());
    }
  }
}
