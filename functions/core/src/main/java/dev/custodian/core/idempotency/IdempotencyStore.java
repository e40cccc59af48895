package dev.custodian.core.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.crypto.Hashes;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.json.Json;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Makes a retried request take effect once, with the semantics of Powertools' idempotency utility:
 * the first request with a key records that it is in progress (a conditional put), does its work,
 * and completes the record with a reference to its outcome — in the same transaction as the work,
 * so the outcome and the completion exist together or not at all. A retry with the same key and
 * payload gets the reference back; the same key with another payload is a conflict; a retry while
 * the first is still running is told to wait; an in-progress record whose execution died expires
 * and can be taken over. Only a hash of the key and of the payload is stored, and the reference
 * must hold no personal data.
 */
public final class IdempotencyStore {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String IN_PROGRESS = "IN_PROGRESS";
  private static final String COMPLETED = "COMPLETED";

  /** A key is free if unused, expired, or held by an execution that died. */
  private static final String FREE =
      "attribute_not_exists(pk) OR expiresAt < :nowSeconds"
          + " OR (#status = :inProgress AND inProgressUntil < :nowMillis)";

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final RetentionRegistry retention;
  private final Duration inProgressExpiry;
  private final Clock clock;

  public IdempotencyStore(
      DynamoDbClient dynamoDb,
      String table,
      RetentionRegistry retention,
      Duration inProgressExpiry,
      Clock clock) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.retention = retention;
    this.inProgressExpiry = inProgressExpiry;
    this.clock = clock;
  }

  /** What {@link #begin} found. */
  public sealed interface Start permits Started, Replay, Conflict, InProgress {}

  /** This execution owns the key: do the work, then complete with {@link #completion}. */
  public record Started(String recordKey, String owner) implements Start {}

  /** An earlier execution completed: its outcome's reference. */
  public record Replay(String reference) implements Start {}

  /** The key was used with another payload. */
  public record Conflict() implements Start {}

  /** Another execution holds the key and has not finished. */
  public record InProgress() implements Start {}

  /** The error a route answers for a conflict or a request still in progress. */
  public static ApiException refusal(Start start) {
    if (start instanceof Conflict) {
      return new ApiException(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          "This Idempotency-Key was used with a different request.");
    }
    return new ApiException(
        ErrorCode.CONFLICT, "A request with this Idempotency-Key is in progress; retry shortly.");
  }

  /** A hash of a JSON payload that ignores the order of object fields. */
  public static String payloadHash(JsonNode payload) {
    return sha256(Json.write(canonical(payload)));
  }

  private static Object canonical(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> f = node.fields(); f.hasNext(); ) {
        Map.Entry<String, JsonNode> e = f.next();
        sorted.put(e.getKey(), canonical(e.getValue()));
      }
      return sorted;
    }
    if (node.isArray()) {
      java.util.List<Object> items = new java.util.ArrayList<>();
      node.forEach(item -> items.add(canonical(item)));
      return items;
    }
    return node;
  }

  public Start begin(String scope, String key, String payloadHash) {
    String recordKey = recordKey(scope, key);
    for (int attempt = 0; attempt < 3; attempt++) {
      Instant now = clock.instant();
      String owner = HexFormat.of().formatHex(randomBytes(16));
      Map<String, AttributeValue> item =
          Map.of(
              "pk",
              AttributeValue.fromS(recordKey),
              "status",
              AttributeValue.fromS(IN_PROGRESS),
              "payloadHash",
              AttributeValue.fromS(payloadHash),
              "owner",
              AttributeValue.fromS(owner),
              "inProgressUntil",
              AttributeValue.fromN(Long.toString(now.plus(inProgressExpiry).toEpochMilli())),
              RetentionRegistry.EXPIRES_AT,
              retention.expiresAtAttribute(DataClass.IDEMPOTENCY, now));
      try {
        dynamoDb.putItem(
            b ->
                b.tableName(table)
                    .item(item)
                    .conditionExpression(FREE)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(freeValues(now))
                    .returnValuesOnConditionCheckFailure(
                        ReturnValuesOnConditionCheckFailure.ALL_OLD));
        return new Started(recordKey, owner);
      } catch (ConditionalCheckFailedException taken) {
        Map<String, AttributeValue> existing =
            taken.hasItem() && !taken.item().isEmpty() ? taken.item() : read(recordKey);
        if (existing == null || existing.isEmpty()) {
          continue; // released between our put and our read: try again
        }
        return classify(existing, payloadHash);
      }
    }
    return new InProgress();
  }

  private static Start classify(Map<String, AttributeValue> existing, String payloadHash) {
    if (!payloadHash.equals(existing.get("payloadHash").s())) {
      return new Conflict();
    }
    if (COMPLETED.equals(existing.get("status").s())) {
      return new Replay(existing.get("reference").s());
    }
    return new InProgress();
  }

  /**
   * A one-shot claim, for work that is a single transaction: the record is written completed, with
   * the outcome's reference, by the work's own transaction. No in-progress record is needed (the
   * work and the record exist together or not at all), so the key costs no round trip of its own.
   * When the transaction is cancelled, {@link #claimRefused} tells whether the key was the reason.
   */
  public TransactWriteItem claim(String scope, String key, String payloadHash, String reference) {
    Instant now = clock.instant();
    Map<String, AttributeValue> item =
        Map.of(
            "pk",
            AttributeValue.fromS(recordKey(scope, key)),
            "status",
            AttributeValue.fromS(COMPLETED),
            "payloadHash",
            AttributeValue.fromS(payloadHash),
            "reference",
            AttributeValue.fromS(reference),
            RetentionRegistry.EXPIRES_AT,
            retention.expiresAtAttribute(DataClass.IDEMPOTENCY, now));
    return TransactWriteItem.builder()
        .put(
            p ->
                p.tableName(table)
                    .item(item)
                    .conditionExpression(FREE)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(freeValues(now))
                    .returnValuesOnConditionCheckFailure(
                        ReturnValuesOnConditionCheckFailure.ALL_OLD))
        .build();
  }

  /**
   * Why a transaction that held a {@link #claim} at {@code index} was cancelled, when the claim's
   * condition was the reason: the earlier outcome to replay, a conflict, or a request in progress.
   * Empty when the key was free (the transaction failed for another reason).
   */
  public Optional<Start> claimRefused(
      TransactionCanceledException cancelled,
      int index,
      String scope,
      String key,
      String payloadHash) {
    if (!Cancellations.conditionFailedAt(cancelled, index)) {
      return Optional.empty();
    }
    CancellationReason reason = cancelled.cancellationReasons().get(index);
    Map<String, AttributeValue> existing =
        reason.hasItem() && !reason.item().isEmpty() ? reason.item() : read(recordKey(scope, key));
    if (existing == null || existing.isEmpty()) {
      return Optional.of(new InProgress()); // gone again meanwhile: the client retries
    }
    return Optional.of(classify(existing, payloadHash));
  }

  /**
   * Completes a started record with the outcome's reference, as part of the transaction that writes
   * the outcome. It fails (and so does the transaction) if this execution no longer owns the key.
   */
  public TransactWriteItem completion(Started started, String reference) {
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS(started.recordKey())))
                    .conditionExpression("#owner = :owner AND #status = :inProgress")
                    .updateExpression("SET #status = :completed, #reference = :reference")
                    .expressionAttributeNames(
                        Map.of("#owner", "owner", "#status", "status", "#reference", "reference"))
                    .expressionAttributeValues(
                        Map.of(
                            ":owner", AttributeValue.fromS(started.owner()),
                            ":inProgress", AttributeValue.fromS(IN_PROGRESS),
                            ":completed", AttributeValue.fromS(COMPLETED),
                            ":reference", AttributeValue.fromS(reference))))
        .build();
  }

  /** Completes a started record on its own (when the work had no write of its own). */
  public void complete(Started started, String reference) {
    dynamoDb.transactWriteItems(b -> b.transactItems(completion(started, reference)));
  }

  /** Gives the key up after a failure, so that a retry can run. */
  public void release(Started started) {
    try {
      dynamoDb.deleteItem(
          b ->
              b.tableName(table)
                  .key(Map.of("pk", AttributeValue.fromS(started.recordKey())))
                  .conditionExpression("#owner = :owner AND #status = :inProgress")
                  .expressionAttributeNames(Map.of("#owner", "owner", "#status", "status"))
                  .expressionAttributeValues(
                      Map.of(
                          ":owner", AttributeValue.fromS(started.owner()),
                          ":inProgress", AttributeValue.fromS(IN_PROGRESS))));
    } catch (ConditionalCheckFailedException notOursAnyMore) {
      // taken over or completed meanwhile: nothing to give up
    }
  }

  /** The record as it is now (when a refusal did not carry it). */
  private Map<String, AttributeValue> read(String recordKey) {
    return dynamoDb
        .getItem(
            b ->
                b.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS(recordKey)))
                    .consistentRead(true))
        .item();
  }

  private static Map<String, AttributeValue> freeValues(Instant now) {
    return Map.of(
        ":nowSeconds", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
        ":nowMillis", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
        ":inProgress", AttributeValue.fromS(IN_PROGRESS));
  }

  private static String recordKey(String scope, String key) {
    return "idem#" + sha256(scope + "\u0000" + key);
  }

  static String sha256(String text) {
    return Hashes.sha256Hex(text);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
