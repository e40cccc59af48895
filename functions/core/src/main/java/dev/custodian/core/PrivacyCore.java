package dev.custodian.core;

import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.cache.ExpiringCache;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.KmsDataKeys;
import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.idempotency.IdempotencyStore;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.snapstart.Priming;
import dev.custodian.core.subjects.SubjectDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The privacy core as one container uses it: SDK clients, the subject keyring with its key cache,
 * the blind index, the subject directory, the audit trail and the idempotency store, built once
 * from the function's environment (in a handler's no-argument constructor).
 */
public final class PrivacyCore {

  /** The blind-index secret that serves subject lookups and order tokens (separate domains). */
  public static final String LOOKUP_INDEX = "subject-lookup";

  private final CoreConfig config;
  private final Clock clock;
  private final DynamoDbClient dynamoDb;
  private final KmsDataKeys kms;
  private final SubjectKeyring keyring;
  private final BlindIndex index;
  private final SubjectDirectory directory;
  private final AuditTrail audit;
  private final IdempotencyStore idempotency;

  public PrivacyCore(CoreConfig config, AwsClients clients, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.dynamoDb = clients.dynamoDb("custodian");
    this.kms = new KmsDataKeys(clients, "custodian");
    this.keyring =
        new SubjectKeyring(
            kms,
            dynamoDb,
            config.subjectsTable(),
            config.dataKeyId(),
            new ExpiringCache<>(config.keyCacheEntries(), config.keyCacheTtl(), clock),
            clock);
    this.index =
        new BlindIndex(
            kms, dynamoDb, config.subjectsTable(), config.dataKeyId(), LOOKUP_INDEX, clock);
    this.directory =
        new SubjectDirectory(
            dynamoDb,
            config.subjectsTable(),
            keyring,
            index,
            config.retention(),
            new ExpiringCache<>(config.keyCacheEntries(), config.keyCacheTtl(), clock),
            clock);
    this.audit = new AuditTrail(dynamoDb, config.auditTable(), config.retention(), clock);
    this.idempotency =
        new IdempotencyStore(
            dynamoDb, config.idempotencyTable(), config.retention(), Duration.ofSeconds(60), clock);
    Priming.register("aws-sdk", () -> Priming.touch(dynamoDb, config.subjectsTable()));
  }

  public CoreConfig config() {
    return config;
  }

  public RetentionRegistry retention() {
    return config.retention();
  }

  public Clock clock() {
    return clock;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public KmsDataKeys kms() {
    return kms;
  }

  public SubjectKeyring keyring() {
    return keyring;
  }

  public BlindIndex index() {
    return index;
  }

  public SubjectDirectory directory() {
    return directory;
  }

  public AuditTrail audit() {
    return audit;
  }

  /**
   * The item under this key, read strongly consistent, if it is still held: an item past its
   * retention is absent even before DynamoDB's TTL deletes it.
   */
  public Optional<Map<String, AttributeValue>> liveItem(
      String table, Map<String, AttributeValue> key) {
    return RetentionRegistry.live(
        dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item(),
        clock.instant());
  }

  public IdempotencyStore idempotency() {
    return idempotency;
  }
}
