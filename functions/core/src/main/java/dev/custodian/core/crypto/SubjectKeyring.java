package dev.custodian.core.crypto;

import dev.custodian.core.cache.ExpiringCache;
import dev.custodian.core.retention.RetentionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Every data subject's own 256-bit data key (docs/privacy.md#keys): made by KMS {@code
 * GenerateDataKey}, stored only wrapped in the subjects table (the key store), unwrapped with
 * {@code Decrypt} under the same encryption context, and cached per container so a warm container
 * calls KMS once per subject, not once per field. The encryption context names only the purpose and
 * the random subject id: it appears in CloudTrail, so it holds no personal data.
 */
public final class SubjectKeyring {

  /** The attribute of a subject item that holds its wrapped key. */
  public static final String WRAPPED_KEY = "wrappedKey";

  private final KmsDataKeys kms;
  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String kmsKeyId;
  private final ExpiringCache<SecretKey> cache;
  private final Clock clock;

  public SubjectKeyring(
      KmsDataKeys kms,
      DynamoDbClient dynamoDb,
      String table,
      String kmsKeyId,
      ExpiringCache<SecretKey> cache,
      Clock clock) {
    this.kms = kms;
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.kmsKeyId = kmsKeyId;
    this.cache = cache;
    this.clock = clock;
  }

  /** The subjects table item that holds a subject's wrapped key. */
  public static String itemKey(String subjectId) {
    return "subject#" + subjectId;
  }

  /** A new subject's key, in clear for this container and wrapped for the key store. */
  public record NewKey(String subjectId, SecretKey key, byte[] wrapped) {}

  /** Makes a data key for a new subject; the caller stores {@link NewKey#wrapped()}. */
  public NewKey generate(String subjectId) {
    KmsDataKeys.DataKey made = kms.generate(kmsKeyId, context(subjectId));
    return new NewKey(subjectId, new SecretKeySpec(made.plaintext(), "AES"), made.wrapped());
  }

  /** Keeps a key this container made, once it is stored, so using it needs no KMS call. */
  public void remember(NewKey key) {
    cache.put(key.subjectId(), key.key());
  }

  /** Drops a subject's key from this container (after it is shredded). */
  public void forget(String subjectId) {
    cache.invalidate(subjectId);
  }

  /**
   * The subject's data key.
   *
   * @throws SubjectErasedException when the key store has no key for the subject
   */
  public SecretKey keyOf(String subjectId) {
    Optional<SecretKey> cached = cache.get(subjectId);
    if (cached.isPresent()) {
      return cached.get();
    }
    SdkBytes wrapped = wrappedInStore(subjectId).orElseThrow(SubjectErasedException::new);
    byte[] plaintext = kms.decrypt(kmsKeyId, wrapped.asByteArray(), context(subjectId));
    SecretKey key = new SecretKeySpec(plaintext, "AES");
    cache.put(subjectId, key);
    return key;
  }

  /**
   * Whether the key store still holds the subject's key, read from the table, never from this
   * container's cache: what a reader of long-lived sealed data (an export) checks, since a key
   * cached before an erasure would otherwise still open it for the cache's lifetime.
   */
  public boolean isHeld(String subjectId) {
    boolean held = wrappedInStore(subjectId).isPresent();
    if (!held) {
      cache.invalidate(subjectId);
    }
    return held;
  }

  /** The subject's wrapped key as the key store holds it now (empty: shredded or expired). */
  private Optional<SdkBytes> wrappedInStore(String subjectId) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                b ->
                    b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(itemKey(subjectId))))
                        .consistentRead(true))
            .item();
    if (!RetentionRegistry.isLive(item, clock.instant())
        || item.get(WRAPPED_KEY) == null
        || item.get(WRAPPED_KEY).b() == null) {
      return Optional.empty();
    }
    return Optional.of(item.get(WRAPPED_KEY).b());
  }

  /**
   * A transaction's condition that the subject's key is still in the key store: a write sealed
   * under the key commits only if no erasure shredded it meanwhile.
   */
  public TransactWriteItem keyStillHeld(String subjectId) {
    return TransactWriteItem.builder()
        .conditionCheck(
            c ->
                c.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS(itemKey(subjectId))))
                    .conditionExpression("attribute_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", WRAPPED_KEY)))
        .build();
  }

  /** Seals a text field of one of the subject's items. */
  public AttributeValue seal(String subjectId, FieldAddress address, String plaintext) {
    return AttributeValue.fromB(
        SdkBytes.fromByteArrayUnsafe(
            FieldSealer.seal(
                keyOf(subjectId), address, plaintext.getBytes(StandardCharsets.UTF_8))));
  }

  /**
   * Opens a text field sealed by {@link #seal}.
   *
   * @throws SubjectErasedException when the subject's key has been shredded
   * @throws FieldSealer.SealBrokenException when the value was moved or altered
   */
  public String open(String subjectId, FieldAddress address, AttributeValue sealed) {
    if (sealed == null || sealed.b() == null) {
      throw new FieldSealer.SealBrokenException("not a sealed value");
    }
    return new String(
        FieldSealer.open(keyOf(subjectId), address, sealed.b().asByteArrayUnsafe()),
        StandardCharsets.UTF_8);
  }

  static Map<String, String> context(String subjectId) {
    return Map.of("purpose", "subject-data", "subjectId", subjectId);
  }
}
