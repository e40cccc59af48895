package dev.custodian.core.config;

import dev.custodian.core.retention.RetentionRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * What the privacy core needs from a function's environment, read once per container. The names of
 * the variables are here and nowhere else; the template sets them for every function.
 */
public record CoreConfig(
    String dataKeyId,
    String subjectsTable,
    String auditTable,
    String idempotencyTable,
    int keyCacheEntries,
    Duration keyCacheTtl,
    RetentionRegistry retention) {

  static final String DATA_KEY_ID = "DATA_KEY_ID";
  static final String SUBJECTS_TABLE = "SUBJECTS_TABLE";
  static final String AUDIT_TABLE = "AUDIT_TABLE";
  static final String IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE";
  static final String KEY_CACHE_ENTRIES = "KEY_CACHE_ENTRIES";
  static final String KEY_CACHE_TTL_SECONDS = "KEY_CACHE_TTL_SECONDS";

  public static CoreConfig fromEnvironment(Map<String, String> env) {
    return new CoreConfig(
        RuntimeEnvironment.require(env, DATA_KEY_ID),
        RuntimeEnvironment.require(env, SUBJECTS_TABLE),
        RuntimeEnvironment.require(env, AUDIT_TABLE),
        RuntimeEnvironment.require(env, IDEMPOTENCY_TABLE),
        RuntimeEnvironment.optional(env, KEY_CACHE_ENTRIES).map(Integer::parseInt).orElse(10_000),
        Duration.ofSeconds(
            RuntimeEnvironment.optional(env, KEY_CACHE_TTL_SECONDS)
                .map(Long::parseLong)
                .orElse(300L)),
        RetentionRegistry.fromEnvironment(env));
  }
}
