package dev.custodian.contact;

import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import java.util.Map;

/** The contact function's configuration, read once per container. */
record ContactConfig(
    CoreConfig core, String contactTable, String notificationQueueUrl, int messagesPerHour) {

  static final String CONTACT_TABLE = "CONTACT_TABLE";
  static final String NOTIFICATION_QUEUE_URL = "NOTIFICATION_QUEUE_URL";
  static final String CONTACT_MESSAGES_PER_HOUR = "CONTACT_MESSAGES_PER_HOUR";

  static ContactConfig fromEnvironment(Map<String, String> env) {
    return new ContactConfig(
        CoreConfig.fromEnvironment(env),
        RuntimeEnvironment.require(env, CONTACT_TABLE),
        RuntimeEnvironment.require(env, NOTIFICATION_QUEUE_URL),
        RuntimeEnvironment.optional(env, CONTACT_MESSAGES_PER_HOUR)
            .map(Integer::parseInt)
            .orElse(5));
  }
}
