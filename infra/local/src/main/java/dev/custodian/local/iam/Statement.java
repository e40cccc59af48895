package dev.custodian.local.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One statement of an identity policy, as written: {@code Effect}, {@code Action} or {@code
 * NotAction}, {@code Resource} or {@code NotResource}, and {@code Condition} (operator → key →
 * values).
 */
public record Statement(
    String sid,
    boolean allow,
    List<String> actions,
    boolean notAction,
    List<String> resources,
    boolean notResource,
    Map<String, Map<String, List<String>>> conditions) {

  /** Reads a statement from its JSON/YAML form (intrinsics already resolved). */
  public static Statement parse(Map<?, ?> raw) {
    Object effect = raw.get("Effect");
    if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
      throw new IllegalArgumentException("A statement's Effect must be Allow or Deny: " + effect);
    }
    boolean notAction = raw.containsKey("NotAction");
    boolean notResource = raw.containsKey("NotResource");
    List<String> actions = strings(raw.get(notAction ? "NotAction" : "Action"));
    List<String> resources = strings(raw.get(notResource ? "NotResource" : "Resource"));
    if (actions.isEmpty() || resources.isEmpty()) {
      throw new IllegalArgumentException(
          "A statement needs Action (or NotAction) and Resource (or NotResource): " + raw);
    }
    Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
    if (raw.get("Condition") instanceof Map<?, ?> byOperator) {
      byOperator.forEach(
          (operator, keys) -> {
            Map<String, List<String>> byKey = new LinkedHashMap<>();
            if (!(keys instanceof Map<?, ?> keyMap)) {
              throw new IllegalArgumentException("Condition " + operator + " needs keys");
            }
            keyMap.forEach((key, values) -> byKey.put(String.valueOf(key), strings(values)));
            conditions.put(String.valueOf(operator), Map.copyOf(byKey));
          });
    }
    return new Statement(
        raw.get("Sid") == null ? null : String.valueOf(raw.get("Sid")),
        "Allow".equals(effect),
        actions,
        notAction,
        resources,
        notResource,
        Map.copyOf(conditions));
  }

  static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  /** Whether the statement's action part covers {@code action}. */
  boolean coversAction(String action) {
    boolean listed = actions.stream().anyMatch(p -> Wildcards.matchesAction(p, action));
    return notAction != listed;
  }

  /** Whether the statement's resource part covers {@code resource}. */
  boolean coversResource(String resource) {
    boolean listed = resources.stream().anyMatch(p -> Wildcards.matches(p, resource));
    return notResource != listed;
  }
}
