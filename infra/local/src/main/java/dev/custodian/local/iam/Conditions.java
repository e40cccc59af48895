package dev.custodian.local.iam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The condition operators of IAM that the local cloud evaluates, with AWS's rules for absent keys
 * and multi-valued keys. A key or an operator it does not know fails closed: the statement is
 * treated as not matching (an Allow gives nothing) and the denial names what was unknown.
 */
final class Conditions {

  /** A condition the local cloud cannot evaluate; the call is denied and this says why. */
  static final class Unknown extends RuntimeException {
    Unknown(String message) {
      super(message);
    }
  }

  /** Condition keys the call reader supplies (when the request has them). */
  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "kms:encryptioncontextkeys",
          "kms:viaservice",
          "kms:calleraccount",
          "dynamodb:leadingkeys",
          "aws:principalaccount");

  private static final String CONTEXT_PREFIX = "kms:encryptioncontext:";

  private Conditions() {}

  /** Whether every condition of a statement holds for the request's keys. */
  static boolean hold(
      Map<String, Map<String, List<String>>> conditions, Map<String, List<String>> request) {
    for (Map.Entry<String, Map<String, List<String>>> byOperator : conditions.entrySet()) {
      for (Map.Entry<String, List<String>> byKey : byOperator.getValue().entrySet()) {
        String key = byKey.getKey();
        if (!known(key)) {
          throw new Unknown("condition key " + key + " is not known to the local cloud");
        }
        if (!holds(byOperator.getKey(), byKey.getValue(), valuesOf(request, key))) {
          return false;
        }
      }
    }
    return true;
  }

  /** As {@link #hold}, with an unknown key or operator counting as not holding. */
  static boolean holdQuietly(
      Map<String, Map<String, List<String>>> conditions, Map<String, List<String>> request) {
    try {
      return hold(conditions, request);
    } catch (Unknown e) {
      return false;
    }
  }

  static boolean known(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return KNOWN_KEYS.contains(lower)
        || (lower.startsWith(CONTEXT_PREFIX) && lower.length() > CONTEXT_PREFIX.length());
  }

  /** Condition key names are case-insensitive; {@code kms:EncryptionContext:} values keep case. */
  private static List<String> valuesOf(Map<String, List<String>> request, String key) {
    for (Map.Entry<String, List<String>> entry : request.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(key)) {
        return entry.getValue();
      }
    }
    return null;
  }

  private static boolean holds(String operator, List<String> policy, List<String> request) {
    String op = operator;
    String set = "";
    if (op.startsWith("ForAllValues:") || op.startsWith("ForAnyValue:")) {
      set = op.substring(0, op.indexOf(':'));
      op = op.substring(op.indexOf(':') + 1);
    }
    boolean ifExists = op.endsWith("IfExists");
    if (ifExists) {
      op = op.substring(0, op.length() - "IfExists".length());
    }
    if (op.equals("Null")) {
      if (!set.isEmpty() || ifExists) {
        throw new Unknown("condition operator " + operator + " is not known to the local cloud");
      }
      boolean absent = request == null || request.isEmpty();
      return policy.stream().anyMatch(v -> Boolean.parseBoolean(v) == absent);
    }
    Match match = match(op, operator);
    boolean absent = request == null || request.isEmpty();
    switch (set) {
      case "ForAllValues" -> {
        // Every value of the request must match (vacuously true when the key is absent).
        return absent || request.stream().allMatch(v -> match.test(policy, v));
      }
      case "ForAnyValue" -> {
        return !absent && request.stream().anyMatch(v -> match.test(policy, v));
      }
      default -> {
        if (absent) {
          // AWS: a missing key fails a condition, except for the negated operators and IfExists.
          return ifExists || match.negated();
        }
        return match.negated()
            ? request.stream().allMatch(v -> match.test(policy, v))
            : request.stream().anyMatch(v -> match.test(policy, v));
      }
    }
  }

  /** One operator: whether a request value satisfies it against the policy's values. */
  private record Match(boolean negated, java.util.function.BiPredicate<String, String> one) {
    boolean test(List<String> policy, String value) {
      boolean any = policy.stream().anyMatch(p -> one.test(p, value));
      return negated != any;
    }
  }

  private static Match match(String op, String operator) {
    return switch (op) {
      case "StringEquals", "ArnEquals" -> new Match(false, String::equals);
      case "StringNotEquals", "ArnNotEquals" -> new Match(true, String::equals);
      case "StringEqualsIgnoreCase" -> new Match(false, String::equalsIgnoreCase);
      case "StringNotEqualsIgnoreCase" -> new Match(true, String::equalsIgnoreCase);
      case "StringLike", "ArnLike" -> new Match(false, Wildcards::matches);
      case "StringNotLike", "ArnNotLike" -> new Match(true, Wildcards::matches);
      case "Bool" -> new Match(false, String::equalsIgnoreCase);
      default ->
          throw new Unknown("condition operator " + operator + " is not known to the local cloud");
    };
  }
}
