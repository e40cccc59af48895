package dev.custodian.core.testing;

import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.cache.ExpiringCache;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.KmsDataKeys;
import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.idempotency.IdempotencyStore;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.subjects.SubjectDirectory;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The privacy core wired as a function would wire it, from the environment (and so the role, which
 * the local cloud enforces) the template gives the order function, against the shared local cloud's
 * emulator. Each instance is one "container": its own clients, key cache and blind-index secret.
 */
public final class CoreFixture {

  public final LocalCloud cloud = SharedLocalCloud.resourcesOnly();

  /** The test's own view of the tables (the account's, not a function's): to set up and inspect. */
  public final DynamoDbClient admin = cloud.emulator().dynamoDb();

  public final Map<String, String> env;
  public final CallCounter calls = new CallCounter();
  public final DynamoDbClient dynamoDb;

  /** The SDK's KMS client, as the account's own tooling would call KMS (not as functions do). */
  public final KmsClient kms;

  /** KMS as the functions call it. */
  public final KmsDataKeys dataKeys;

  private final String function;
  private final int kmsCallsBefore;
  public final String subjectsTable;
  public final String keyId;
  public final RetentionRegistry retention;
  public final SubjectKeyring keyring;
  public final BlindIndex index;
  public final SubjectDirectory directory;
  public final String auditTable;
  public final String idempotencyTable;
  public final AuditTrail audit;

  /** The audit trail's read side, which no function is granted yet (operators will be). */
  public final AuditTrail auditReader;

  public final IdempotencyStore idempotency;

  public CoreFixture() {
    this(Clock.systemUTC());
  }

  public CoreFixture(Clock clock) {
    this("PlaceOrderFunction", clock);
  }

  /** A container of another function: its environment and so its role (e.g. to shred keys). */
  public CoreFixture(String function) {
    this(function, Clock.systemUTC());
  }

  private CoreFixture(String function, Clock clock) {
    env = cloud.environmentOf(function);
    subjectsTable = env.get("SUBJECTS_TABLE");
    keyId = env.get("DATA_KEY_ID");
    retention = RetentionRegistry.fromEnvironment(env);
    auditTable = env.get("AUDIT_TABLE");
    idempotencyTable = env.get("IDEMPOTENCY_TABLE");
    AwsClients clients = AwsClients.fromEnvironment(env).withInterceptors(calls);
    dynamoDb = clients.dynamoDb("custodian-test");
    kms = clients.build(KmsClient.builder());
    dataKeys = new KmsDataKeys(clients, "custodian-test");
    this.function = env.get("AWS_LAMBDA_FUNCTION_NAME");
    kmsCallsBefore = cloud.proxy().count(this.function, "kms");
    keyring =
        new SubjectKeyring(
            dataKeys,
            dynamoDb,
            subjectsTable,
            keyId,
            new ExpiringCache<>(1000, Duration.ofMinutes(5), clock),
            clock);
    index = new BlindIndex(dataKeys, dynamoDb, subjectsTable, keyId, "subject-lookup", clock);
    directory =
        new SubjectDirectory(
            dynamoDb,
            subjectsTable,
            keyring,
            index,
            retention,
            new ExpiringCache<>(1000, Duration.ofMinutes(5), clock),
            clock);
    audit = new AuditTrail(dynamoDb, auditTable, retention, clock);
    auditReader = new AuditTrail(admin, auditTable, retention, clock);
    idempotency =
        new IdempotencyStore(dynamoDb, idempotencyTable, retention, Duration.ofSeconds(60), clock);
  }

  /** The KMS calls this container's keyring and index made, as counted at the local cloud. */
  public int kmsCalls() {
    return cloud.proxy().count(function, "kms") - kmsCallsBefore;
  }

  /** The same, by operation ({@code Decrypt=3, GenerateDataKey=1}), over the function's life. */
  public String kmsOperations() {
    return cloud.proxy().operations(function, "kms");
  }
}
