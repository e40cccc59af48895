package dev.custodian.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Keyed HMAC-SHA-256 of a normalised value (an email, an account subject, a visitor id), so that
 * equal values can be found without storing them. The 256-bit secret of each purpose is stored
 * wrapped by KMS in the key store, created on first use with a conditional write (two containers
 * racing end with one secret) and unwrapped once per container.
 */
public final class BlindIndex {

  private final KmsDataKeys kms;
  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String kmsKeyId;
  private final String purpose;
  private final Clock clock;
  private volatile SecretKeySpec secret;

  public BlindIndex(
      KmsDataKeys kms,
      DynamoDbClient dynamoDb,
      String table,
      String kmsKeyId,
      String purpose,
      Clock clock) {
    this.kms = kms;
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.kmsKeyId = kmsKeyId;
    this.purpose = purpose;
    this.clock = clock;
  }

  /** The form of an email that the index sees: trimmed and lower-cased. */
  public static String normaliseEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /** The index of an email address (normalised first). */
  public String ofEmail(String email) {
    return of("email", normaliseEmail(email));
  }

  /**
   * The index of {@code value} in {@code domain} (e.g. "email", "account"): one secret serves
   * several domains without two domains ever sharing an index value.
   */
  public String of(String domain, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(secret());
      mac.update(domain.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 is unavailable", e);
    }
  }

  private SecretKeySpec secret() {
    SecretKeySpec loaded = secret;
    if (loaded == null) {
      synchronized (this) {
        loaded = secret;
        if (loaded == null) {
          loaded = new SecretKeySpec(loadOrCreate(), "HmacSHA256");
          secret = loaded;
        }
      }
    }
    return loaded;
  }

  private byte[] loadOrCreate() {
    Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("secret#" + purpose));
    Map<String, AttributeValue> item =
        dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
    if (item != null && item.containsKey(SubjectKeyring.WRAPPED_KEY)) {
      return unwrap(item.get(SubjectKeyring.WRAPPED_KEY).b());
    }
    KmsDataKeys.DataKey created = kms.generate(kmsKeyId, context());
    try {
      dynamoDb.putItem(
          b ->
              b.tableName(table)
                  .item(
                      Map.of(
                          "pk",
                          key.get("pk"),
                          SubjectKeyring.WRAPPED_KEY,
                          AttributeValue.fromB(SdkBytes.fromByteArray(created.wrapped())),
                          "createdAt",
                          AttributeValue.fromS(clock.instant().toString())))
                  .conditionExpression("attribute_not_exists(pk)"));
      return created.plaintext();
    } catch (ConditionalCheckFailedException anotherContainerWon) {
      Map<String, AttributeValue> theirs =
          dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
      return unwrap(theirs.get(SubjectKeyring.WRAPPED_KEY).b());
    }
  }

  private byte[] unwrap(SdkBytes wrapped) {
    return kms.decrypt(kmsKeyId, wrapped.asByteArray(), context());
  }

  private Map<String, String> context() {
    return Map.of("purpose", "blind-index", "index", purpose);
  }
}
