package dev.custodian.erasure;

import dev.custodian.core.config.RuntimeEnvironment;
import java.util.Map;

/** The tables erasure works through. */
record ErasureTables(
    String requests,
    String orders,
    String contact,
    String analyticsEvents,
    String exports,
    String profiles,
    String tombstones) {

  static ErasureTables fromEnvironment(Map<String, String> env) {
    return new ErasureTables(
        RuntimeEnvironment.require(env, "PRIVACY_REQUESTS_TABLE"),
        RuntimeEnvironment.require(env, "ORDERS_TABLE"),
        RuntimeEnvironment.require(env, "CONTACT_TABLE"),
        RuntimeEnvironment.require(env, "ANALYTICS_EVENTS_TABLE"),
        RuntimeEnvironment.require(env, "EXPORTS_TABLE"),
        RuntimeEnvironment.require(env, "PROFILES_TABLE"),
        RuntimeEnvironment.require(env, "TOMBSTONES_TABLE"));
  }
}
