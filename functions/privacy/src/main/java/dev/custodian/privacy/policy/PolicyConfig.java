package dev.custodian.privacy.policy;

import dev.custodian.core.config.RuntimeEnvironment;
import java.time.LocalDate;
import java.util.Map;

/** The published privacy policy, from the template's parameters. */
public record PolicyConfig(String version, LocalDate effectiveFrom, String url) {

  static final String VERSION = "POLICY_VERSION";
  static final String EFFECTIVE_FROM = "POLICY_EFFECTIVE_FROM";
  static final String URL = "POLICY_URL";

  public static PolicyConfig fromEnvironment(Map<String, String> env) {
    return new PolicyConfig(
        RuntimeEnvironment.require(env, VERSION),
        LocalDate.parse(RuntimeEnvironment.require(env, EFFECTIVE_FROM)),
        RuntimeEnvironment.require(env, URL));
  }
}
