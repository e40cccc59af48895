package dev.custodian.core.policy;

import dev.custodian.core.cache.ExpiringCache;
import dev.custodian.core.config.RuntimeEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The version of the policy in force, as records created under it store it. The published versions
 * are read at most once a {@link #CACHE_TTL} per container (versions are few and immutable, and the
 * hot write paths must not pay a read each); the version in force is then chosen at the write's own
 * time, so a version scheduled ahead takes effect on the second. Until the first version is
 * published, records carry the template's {@code PolicyVersion}, the name the first publication
 * uses.
 */
public final class PolicyStamp {

  /** The template's policy version, for a stack where none is published yet. */
  public static final String FALLBACK_VARIABLE = "POLICY_VERSION";

  /** How long a container trusts its copy of the published versions. */
  static final Duration CACHE_TTL = Duration.ofSeconds(60);

  private final PolicyVersions versions;
  private final String fallback;
  private final Clock clock;
  private final ExpiringCache<List<PolicyVersions.Scheduled>> cache;

  public PolicyStamp(PolicyVersions versions, String fallback, Clock clock) {
    this.versions = versions;
    this.fallback = fallback;
    this.clock = clock;
    this.cache = new ExpiringCache<>(1, CACHE_TTL, clock);
  }

  /** The stamp of a function, from its environment (policy table and fallback version). */
  public static PolicyStamp fromEnvironment(
      DynamoDbClient dynamoDb, Map<String, String> env, Clock clock) {
    return new PolicyStamp(
        new PolicyVersions(
            dynamoDb, RuntimeEnvironment.require(env, PolicyVersions.TABLE_VARIABLE)),
        RuntimeEnvironment.require(env, FALLBACK_VARIABLE),
        clock);
  }

  /** The name of the version in force now. */
  public String current() {
    List<PolicyVersions.Scheduled> published = cache.get("versions").orElse(null);
    if (published == null) {
      published = versions.schedule();
      cache.put("versions", published);
    }
    return PolicyVersions.inForceName(published, clock.instant()).orElse(fallback);
  }
}
