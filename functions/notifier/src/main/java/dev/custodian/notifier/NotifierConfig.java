package dev.custodian.notifier;

import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.policy.PolicyVersions;
import java.util.Map;

/**
 * The notifier's configuration, read once per container; the names of the environment variables it
 * reads are here alone.
 */
record NotifierConfig(
    CoreConfig core,
    String requestsTable,
    String contactTable,
    String ordersTable,
    String profilesTable,
    String policyTable,
    String notificationQueueUrl,
    String senderAddress,
    String policyUrl) {

  static NotifierConfig fromEnvironment(Map<String, String> env) {
    return new NotifierConfig(
        CoreConfig.fromEnvironment(env),
        RuntimeEnvironment.require(env, "PRIVACY_REQUESTS_TABLE"),
        RuntimeEnvironment.require(env, "CONTACT_TABLE"),
        RuntimeEnvironment.require(env, "ORDERS_TABLE"),
        RuntimeEnvironment.require(env, "PROFILES_TABLE"),
        RuntimeEnvironment.require(env, PolicyVersions.TABLE_VARIABLE),
        RuntimeEnvironment.require(env, "NOTIFICATION_QUEUE_URL"),
        RuntimeEnvironment.require(env, "SENDER_ADDRESS"),
        RuntimeEnvironment.require(env, "POLICY_URL"));
  }
}
