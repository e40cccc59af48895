package dev.custodian.privacy.policy;

import dev.custodian.core.policy.PolicyVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the API shows a version: in full (with its text), or as a line of the history. */
final class PolicyViews {

  private PolicyViews() {}

  static Map<String, Object> summary(PolicyVersion v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", v.version());
    out.put("publishedAt", v.publishedAt().toString());
    out.put("effectiveFrom", v.effectiveFrom().toString());
    out.put("material", v.material());
    out.put("summaryOfChanges", v.summaryOfChanges());
    return out;
  }

  static Map<String, Object> full(PolicyVersion v) {
    Map<String, Object> out = summary(v);
    out.put("text", v.text());
    return out;
  }
}
