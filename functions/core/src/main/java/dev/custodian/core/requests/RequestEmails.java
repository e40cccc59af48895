package dev.custodian.core.requests;

import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.retention.RetentionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The email of a data-subject request, sealed under the request's own key in an item of its own
 * ({@code request#<id>#email} in the requests table) with a short {@code expiresAt}: the request is
 * kept for years as proof, its email only while the request is verified and answered. Intake writes
 * it, the notifier opens it to send the request's emails and deletes it once the person is told of
 * the outcome, and an erasure deletes it from every request of the subject.
 */
public final class RequestEmails {

  /** The requests table as sealing addresses name it. */
  public static final String LOGICAL_TABLE = "privacy-requests";

  private static final String ATTRIBUTE = "email";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public RequestEmails(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  /** The key of the email item of the request whose own item has key {@code request#<id>}. */
  public static Map<String, AttributeValue> key(String requestId) {
    return Map.of("pk", AttributeValue.fromS(pk(requestId)));
  }

  /** The key of the email item of a request, from the request item's {@code pk}. */
  public static Map<String, AttributeValue> keyOfRequestPk(String requestPk) {
    return Map.of("pk", AttributeValue.fromS(requestPk + "#email"));
  }

  private static String pk(String requestId) {
    return "request#" + requestId + "#email";
  }

  /** The email item, sealed under the request's key, to put with the request; expires then. */
  public static Map<String, AttributeValue> item(
      String requestId, SecretKey key, String email, long expiresAtEpochSecond) {
    return Map.of(
        "pk",
        AttributeValue.fromS(pk(requestId)),
        ATTRIBUTE,
        AttributeValue.fromB(
            SdkBytes.fromByteArrayUnsafe(
                FieldSealer.seal(key, address(requestId), email.getBytes(StandardCharsets.UTF_8)))),
        RetentionRegistry.EXPIRES_AT,
        AttributeValue.fromN(Long.toString(expiresAtEpochSecond)));
  }

  /** The sealed email of the request; empty when it is gone or has expired at {@code now}. */
  public Optional<byte[]> sealed(String requestId, Instant now) {
    return RetentionRegistry.live(
            dynamoDb
                .getItem(b -> b.tableName(table).key(key(requestId)).consistentRead(true))
                .item(),
            now)
        .filter(item -> item.containsKey(ATTRIBUTE))
        .map(item -> item.get(ATTRIBUTE).b().asByteArray());
  }

  /** Opens a sealed email with the request's key. */
  public static String open(SecretKey key, String requestId, byte[] sealed) {
    return new String(FieldSealer.open(key, address(requestId), sealed), StandardCharsets.UTF_8);
  }

  /**
   * Keeps the email until {@code until} (a request verified stays open until it is answered, and is
   * told of the answer): only an email still live at {@code now} is kept; an expired one that the
   * table has not deleted yet is not brought back, and none is created.
   */
  public void keepUntil(String requestId, Instant until, Instant now) {
    try {
      dynamoDb.updateItem(
          b ->
              b.tableName(table)
                  .key(key(requestId))
                  .conditionExpression("attribute_exists(pk) AND #e > :now")
                  .updateExpression("SET #e = :until")
                  .expressionAttributeNames(Map.of("#e", RetentionRegistry.EXPIRES_AT))
                  .expressionAttributeValues(
                      Map.of(
                          ":until", AttributeValue.fromN(Long.toString(until.getEpochSecond())),
                          ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))));
    } catch (ConditionalCheckFailedException gone) {
      // erased or expired already: nothing to keep
    }
  }

  /** Deletes the email of the request; nothing happens when it is gone already. */
  public void forget(String requestId) {
    dynamoDb.deleteItem(b -> b.tableName(table).key(key(requestId)));
  }

  private static FieldAddress address(String requestId) {
    return new FieldAddress(LOGICAL_TABLE, pk(requestId), ATTRIBUTE);
  }
}
