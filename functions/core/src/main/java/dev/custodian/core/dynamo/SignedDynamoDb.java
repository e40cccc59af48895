package dev.custodian.core.dynamo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.aws.SignedJsonCall;
import dev.custodian.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ItemCollectionSizeLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The functions' DynamoDB client: the SDK's {@link DynamoDbClient} interface, its requests, answers
 * and exceptions, with each call sent as one signed JSON request ({@link SignedJsonCall}) instead
 * of through the SDK's client. The SDK's client costs a third of a second to build and its first
 * call as much again (endpoint rules, interceptors, a request pipeline of some thirty stages,
 * hundreds of classes), in every cold start, and two thirds of a warm order's own time was its
 * pipeline (docs/benchmarks.md). The wire request, its IAM action and the tables it names are the
 * client's: {@code SignedDynamoDbTest} holds the JSON of every operation here to the client's.
 *
 * <p>As the client does: an idempotency token left empty ({@code ClientRequestToken}) is filled in
 * once and sent again with every retry; throttling, DynamoDB's own failures and a lost connection
 * are tried again (four attempts with jittered pauses of up to 50, 100 and 200 ms, the client makes
 * four or nine, by the version of its retry behaviour: a request path answers within its timeout
 * and the caller retries with its idempotency key); an unreachable DynamoDB or an unreadable answer
 * is the client's {@code SdkClientException}; refusals come back as the SDK's modelled exceptions
 * with their members (a cancellation's reasons, a failed condition's item), and interceptors'
 * {@code beforeExecution} sees each call (tests count calls and inject races with it). What it
 * leaves out: checksums of answers (DynamoDB's CRC32), which guard against a corrupted answer on
 * the wire that TLS already rules out, and an error's message, which may quote the request's
 * values: never read, never logged. Operations not listed here are the interface's defaults, which
 * refuse; the functions use none of them.
 */
public final class SignedDynamoDb implements DynamoDbClient {

  private static final String TARGET = "DynamoDB_20120810.";

  /**
   * What the SDK's client tries again besides a 5xx: its throttling and timeout codes (with {@code
   * TransactionInProgressException}, DynamoDB's answer to a retry that arrives while the first
   * attempt with the same token still runs).
   */
  private static final Set<String> RETRYABLE =
      Set.of(
          "ProvisionedThroughputExceededException",
          "TransactionInProgressException",
          "ThrottlingException",
          "Throttling",
          "ThrottledException",
          "TooManyRequestsException",
          "RequestThrottled",
          "RequestThrottledException",
          "RequestLimitExceeded",
          "PriorRequestNotComplete",
          "RequestTimeout",
          "RequestTimeoutException",
          "InternalServerError");

  /** DynamoDB's error types that the SDK models as their own exceptions. */
  private static final Map<String, Supplier<? extends AwsServiceException.Builder>> MODELLED =
      Map.of(
          "ConditionalCheckFailedException", ConditionalCheckFailedException::builder,
          "TransactionCanceledException", TransactionCanceledException::builder,
          "ResourceNotFoundException", ResourceNotFoundException::builder,
          "ProvisionedThroughputExceededException", ProvisionedThroughputExceededException::builder,
          "RequestLimitExceeded", RequestLimitExceededException::builder,
          "ThrottlingException", ThrottlingException::builder,
          "InternalServerError", InternalServerErrorException::builder,
          "TransactionConflictException", TransactionConflictException::builder,
          "TransactionInProgressException", TransactionInProgressException::builder,
          "ItemCollectionSizeLimitExceededException",
              ItemCollectionSizeLimitExceededException::builder);

  private static final int ATTEMPTS = 4;

  private final SignedJsonCall call;
  private final List<ExecutionInterceptor> interceptors;

  public SignedDynamoDb(AwsClients clients, String caller) {
    this.call = new SignedJsonCall(clients, "dynamodb", "dynamodb", caller);
    this.interceptors = clients.interceptors();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {
    // the HTTP client is the container's, closed with it
  }

  @Override
  public GetItemResponse getItem(GetItemRequest request) {
    return call("GetItem", request, GetItemResponse.builder()).build();
  }

  @Override
  public PutItemResponse putItem(PutItemRequest request) {
    return call("PutItem", request, PutItemResponse.builder()).build();
  }

  @Override
  public UpdateItemResponse updateItem(UpdateItemRequest request) {
    return call("UpdateItem", request, UpdateItemResponse.builder()).build();
  }

  @Override
  public DeleteItemResponse deleteItem(DeleteItemRequest request) {
    return call("DeleteItem", request, DeleteItemResponse.builder()).build();
  }

  @Override
  public QueryResponse query(QueryRequest request) {
    return call("Query", request, QueryResponse.builder()).build();
  }

  @Override
  public ScanResponse scan(ScanRequest request) {
    return call("Scan", request, ScanResponse.builder()).build();
  }

  @Override
  public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
    return call("BatchGetItem", request, BatchGetItemResponse.builder()).build();
  }

  @Override
  public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
    return call("BatchWriteItem", request, BatchWriteItemResponse.builder()).build();
  }

  @Override
  public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
    return call("TransactWriteItems", request, TransactWriteItemsResponse.builder()).build();
  }

  @Override
  public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest request) {
    return call("TransactGetItems", request, TransactGetItemsResponse.builder()).build();
  }

  /** Sends the request (the same bytes on every attempt) and reads the answer into the builder. */
  private <B extends SdkPojo> B call(String operation, SdkRequest request, B answer) {
    beforeExecution(operation, request);
    // written once: an idempotency token filled in here is the same on every attempt
    byte[] body = body(request);
    Map<String, String> headers =
        Map.of("Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", TARGET + operation);
    for (int attempt = 1; ; attempt++) {
      SignedJsonCall.Answer got;
      try {
        got = call.exchange("/", headers, body);
      } catch (UncheckedIOException unreachable) {
        // the answer was lost (or the request never arrived): sent again, as the client would
        if (attempt >= ATTEMPTS) {
          // as the client reports it: callers of the interface catch SdkException
          throw SdkClientException.builder()
              .message("DynamoDB could not be reached (" + operation + ")")
              .cause(unreachable)
              .build();
        }
        pause(attempt);
        continue;
      }
      if (got.ok()) {
        return read(got, answer);
      }
      boolean retryable =
          got.status() >= 500 || got.status() == 429 || RETRYABLE.contains(got.errorType());
      if (!retryable || attempt >= ATTEMPTS) {
        throw refused(operation, got);
      }
      pause(attempt);
    }
  }

  private void beforeExecution(String operation, SdkRequest request) {
    if (interceptors.isEmpty()) {
      return;
    }
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SdkExecutionAttribute.SERVICE_NAME, SERVICE_NAME);
    attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, operation);
    for (ExecutionInterceptor interceptor : interceptors) {
      interceptor.beforeExecution(() -> request, attributes);
    }
  }

  static byte[] body(SdkRequest request) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(bytes)) {
      DynamoJson.writePojo(out, (SdkPojo) request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <B extends SdkPojo> B read(SignedJsonCall.Answer got, B answer) {
    try {
      JsonNode json = Json.AWS_ANSWERS.readTree(got.body());
      return DynamoJson.readPojo(json == null || json.isMissingNode() ? empty() : json, answer);
    } catch (IOException unreadable) {
      throw SdkClientException.builder()
          .message("DynamoDB's answer could not be read")
          .cause(unreadable)
          .build();
    }
  }

  private static JsonNode empty() {
    return Json.AWS_ANSWERS.createObjectNode();
  }

  /** 50, 100, 200 ms with full jitter: retries of many containers do not arrive together. */
  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, (25L << attempt) + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AbortedException.builder()
          .message("interrupted while retrying a DynamoDB call")
          .cause(e)
          .build();
    }
  }

  /**
   * The SDK's exception for the refusal, with its modelled members (a cancellation's reasons, a
   * failed condition's item) read from the body; the body's message is left out.
   */
  private static AwsServiceException refused(String operation, SignedJsonCall.Answer got) {
    Supplier<? extends AwsServiceException.Builder> modelled = MODELLED.get(got.errorType());
    AwsServiceException.Builder builder =
        modelled != null ? modelled.get() : DynamoDbException.builder();
    if (modelled != null) {
      try {
        JsonNode json = Json.AWS_ANSWERS.readTree(got.body());
        if (json != null && json.isObject()) {
          DynamoJson.readPojo(json, (SdkPojo) builder);
        }
      } catch (IOException unreadable) {
        // the exception all the same, without its members, as the client reads such a body
      }
    }
    return builder
        .statusCode(got.status())
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(got.errorType()).serviceName(SERVICE_NAME).build())
        .message("DynamoDB refused " + operation + ": " + got.errorType())
        .build();
  }
}
