package dev.custodian.core.dynamo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.aws.SignedJsonCall;
import dev.custodian.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * DynamoDB's {@code TransactWriteItems} as one signed JSON request ({@link SignedJsonCall}) rather
 * than through the SDK's client: for the order's transaction, the one AWS call of a warm order,
 * where the client's request pipeline (marshalling, interceptors, endpoint rules, some thirty
 * stages) was two thirds of the code's own time (docs/benchmarks.md, "Own time"). The items are the
 * SDK's own {@link TransactWriteItem}s; a cancellation comes back as the SDK's {@link
 * TransactionCanceledException} with its reasons (and the items returned on a failed condition), so
 * callers read it as before. Throttling and DynamoDB's own failures are tried again, as the client
 * would; the wire request, its IAM action and the tables it names are the client's.
 */
public final class TransactWriteCall {

  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Type",
          "application/x-amz-json-1.0",
          "X-Amz-Target",
          "DynamoDB_20120810.TransactWriteItems");
  private static final String CANCELLED = "TransactionCanceledException";

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

  private static final int ATTEMPTS = 4;

  private final SignedJsonCall call;

  public TransactWriteCall(AwsClients clients, String caller) {
    this.call = new SignedJsonCall(clients, "dynamodb", "dynamodb", caller);
  }

  /**
   * Writes the items in one transaction, or throws {@link TransactionCanceledException} with one
   * reason per item (in the order given), or a {@link DynamoDbException} for any other refusal.
   */
  public void write(List<TransactWriteItem> items) {
    // one token for every attempt, as the client sends: a retry of a transaction whose answer was
    // lost is recognised by DynamoDB (for ten minutes) instead of failing its own conditions
    byte[] request = request(items, UUID.randomUUID().toString());
    for (int attempt = 1; ; attempt++) {
      SignedJsonCall.Answer answer;
      try {
        answer = call.exchange("/", HEADERS, request);
      } catch (UncheckedIOException unreachable) {
        // the answer was lost (or the request never arrived): the same token again, as the client
        if (attempt >= ATTEMPTS) {
          throw unreachable;
        }
        pause(attempt);
        continue;
      }
      if (answer.ok()) {
        return;
      }
      if (CANCELLED.equals(answer.errorType())) {
        throw cancelled(answer);
      }
      boolean retryable = answer.status() >= 500 || RETRYABLE.contains(answer.errorType());
      if (!retryable || attempt >= ATTEMPTS) {
        throw refused(answer);
      }
      pause(attempt);
    }
  }

  /** 50, 100, 200 ms with full jitter: retries of many containers do not arrive together. */
  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, (25L << attempt) + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a transaction", e);
    }
  }

  static byte[] request(List<TransactWriteItem> items, String clientRequestToken) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
    try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(bytes)) {
      out.writeStartObject();
      out.writeArrayFieldStart("TransactItems");
      for (TransactWriteItem item : items) {
        Operation.of(item).write(out);
      }
      out.writeEndArray();
      out.writeStringField("ClientRequestToken", clientRequestToken);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * One item of the transaction as DynamoDB's JSON names it: a {@code Put} of an item, or an {@code
   * Update}, {@code Delete} or {@code ConditionCheck} of a key, with its expressions; an absent
   * part is left out, as the client leaves it out.
   */
  private record Operation(
      String name,
      String table,
      String itemField,
      Map<String, AttributeValue> item,
      String updateExpression,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values,
      String onFailure) {

    static Operation of(TransactWriteItem item) {
      int operations =
          (item.put() != null ? 1 : 0)
              + (item.update() != null ? 1 : 0)
              + (item.delete() != null ? 1 : 0)
              + (item.conditionCheck() != null ? 1 : 0);
      if (operations != 1) {
        // the client would send both and DynamoDB refuse them; never send one of them only
        throw new IllegalArgumentException("a transaction item needs exactly one operation");
      }
      if (item.put() != null) {
        Put p = item.put();
        return new Operation(
            "Put",
            p.tableName(),
            "Item",
            p.hasItem() ? p.item() : null,
            null,
            p.conditionExpression(),
            p.hasExpressionAttributeNames() ? p.expressionAttributeNames() : null,
            p.hasExpressionAttributeValues() ? p.expressionAttributeValues() : null,
            p.returnValuesOnConditionCheckFailureAsString());
      }
      if (item.update() != null) {
        Update u = item.update();
        return new Operation(
            "Update",
            u.tableName(),
            "Key",
            u.hasKey() ? u.key() : null,
            u.updateExpression(),
            u.conditionExpression(),
            u.hasExpressionAttributeNames() ? u.expressionAttributeNames() : null,
            u.hasExpressionAttributeValues() ? u.expressionAttributeValues() : null,
            u.returnValuesOnConditionCheckFailureAsString());
      }
      if (item.delete() != null) {
        Delete d = item.delete();
        return new Operation(
            "Delete",
            d.tableName(),
            "Key",
            d.hasKey() ? d.key() : null,
            null,
            d.conditionExpression(),
            d.hasExpressionAttributeNames() ? d.expressionAttributeNames() : null,
            d.hasExpressionAttributeValues() ? d.expressionAttributeValues() : null,
            d.returnValuesOnConditionCheckFailureAsString());
      }
      if (item.conditionCheck() != null) {
        ConditionCheck c = item.conditionCheck();
        return new Operation(
            "ConditionCheck",
            c.tableName(),
            "Key",
            c.hasKey() ? c.key() : null,
            null,
            c.conditionExpression(),
            c.hasExpressionAttributeNames() ? c.expressionAttributeNames() : null,
            c.hasExpressionAttributeValues() ? c.expressionAttributeValues() : null,
            c.returnValuesOnConditionCheckFailureAsString());
      }
      throw new IllegalArgumentException("a transaction item with no operation");
    }

    void write(JsonGenerator out) throws IOException {
      out.writeStartObject();
      out.writeObjectFieldStart(name);
      out.writeStringField("TableName", table);
      if (item != null) {
        out.writeFieldName(itemField);
        DynamoJson.writeItem(out, item);
      }
      if (updateExpression != null) {
        out.writeStringField("UpdateExpression", updateExpression);
      }
      if (condition != null) {
        out.writeStringField("ConditionExpression", condition);
      }
      // present when the caller set them, even empty, as the client sends them
      if (names != null) {
        out.writeObjectFieldStart("ExpressionAttributeNames");
        for (Map.Entry<String, String> n : names.entrySet()) {
          out.writeStringField(n.getKey(), n.getValue());
        }
        out.writeEndObject();
      }
      if (values != null) {
        out.writeFieldName("ExpressionAttributeValues");
        DynamoJson.writeItem(out, values);
      }
      if (onFailure != null) {
        out.writeStringField("ReturnValuesOnConditionCheckFailure", onFailure);
      }
      out.writeEndObject();
      out.writeEndObject();
    }
  }

  /** The SDK's exception with the reasons DynamoDB gave, one per item. */
  private static TransactionCanceledException cancelled(SignedJsonCall.Answer answer) {
    List<CancellationReason> reasons = new ArrayList<>();
    try {
      JsonNode body = Json.MAPPER.readTree(answer.body());
      for (JsonNode reason : body.path("CancellationReasons")) {
        CancellationReason.Builder r =
            CancellationReason.builder().code(reason.path("Code").asText(null));
        if (reason.hasNonNull("Item")) {
          r.item(DynamoJson.readItem(reason.get("Item")));
        }
        reasons.add(r.build());
      }
    } catch (IOException unreadable) {
      // a cancellation all the same, with no reasons, as the client reads such a body
      reasons.clear();
    }
    return (TransactionCanceledException)
        TransactionCanceledException.builder()
            .cancellationReasons(reasons)
            .statusCode(answer.status())
            .awsErrorDetails(details(answer))
            .message("Transaction cancelled")
            .build();
  }

  private static DynamoDbException refused(SignedJsonCall.Answer answer) {
    return (DynamoDbException)
        DynamoDbException.builder()
            .statusCode(answer.status())
            .awsErrorDetails(details(answer))
            .message("DynamoDB refused the transaction: " + answer.errorType())
            .build();
  }

  private static AwsErrorDetails details(SignedJsonCall.Answer answer) {
    return AwsErrorDetails.builder().errorCode(answer.errorType()).serviceName("DynamoDb").build();
  }
}
