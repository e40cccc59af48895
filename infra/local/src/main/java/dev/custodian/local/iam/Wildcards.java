package dev.custodian.local.iam;

import java.util.Locale;

/** IAM's wildcard matching: {@code *} any run of characters, {@code ?} exactly one. */
final class Wildcards {

  private Wildcards() {}

  /** Case-sensitive match, as for resources and condition values. */
  static boolean matches(String pattern, String value) {
    return match(pattern, 0, value, 0);
  }

  /** Actions are case-insensitive in IAM ({@code dynamodb:getitem} equals {@code GetItem}). */
  static boolean matchesAction(String pattern, String action) {
    return matches(pattern.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT));
  }

  private static boolean match(String p, int i, String v, int j) {
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '*') {
        while (i < p.length() && p.charAt(i) == '*') {
          i++;
        }
        if (i == p.length()) {
          return true;
        }
        for (int k = j; k <= v.length(); k++) {
          if (match(p, i, v, k)) {
            return true;
          }
        }
        return false;
      }
      if (j >= v.length() || (c != '?' && c != v.charAt(j))) {
        return false;
      }
      i++;
      j++;
    }
    return j == v.length();
  }
}
