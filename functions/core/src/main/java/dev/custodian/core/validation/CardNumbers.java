package dev.custodian.core.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds payment card numbers anywhere in a request body (docs/privacy.md: only a provider reference
 * and the last 4 digits are kept). The rule: in any string (or number), take the groups of digits
 * that are joined by a single space or dash; a run of consecutive groups holding 13 to 19 digits in
 * all that passes the Luhn check is a card number. So {@code 4111 1111 1111 1111}, {@code
 * 4111-1111-1111-1111} and {@code order 4111111111111111 please} are found, while a single unbroken
 * run of more than 19 digits (an id, a tracking number) is not searched inside.
 */
public final class CardNumbers {

  static final String PROBLEM =
      "looks like a payment card number: send only the provider reference and the last 4 digits";

  private CardNumbers() {}

  /** Adds a problem for every value of {@code body} (at any depth) that holds a card number. */
  public static void scan(JsonNode body, String path, Problems problems) {
    if (body == null) {
      return;
    }
    if (body.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        scan(field.getValue(), Problems.child(path, field.getKey()), problems);
      }
    } else if (body.isArray()) {
      for (int i = 0; i < body.size(); i++) {
        scan(body.get(i), Problems.index(path, i), problems);
      }
    } else if ((body.isTextual() || body.isNumber()) && containsCardNumber(body.asText())) {
      problems.add(path, PROBLEM);
    }
  }

  /** Whether {@code text} holds a card number by the rule above. */
  public static boolean containsCardNumber(String text) {
    int i = 0;
    int n = text.length();
    while (i < n) {
      if (!isDigit(text.charAt(i))) {
        i++;
        continue;
      }
      // One run: digit groups joined by single separators.
      List<String> groups = new ArrayList<>();
      int start = i;
      boolean leftClean = start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1));
      while (true) {
        while (i < n && isDigit(text.charAt(i))) {
          i++;
        }
        groups.add(text.substring(start, i));
        if (i + 1 < n
            && (text.charAt(i) == ' ' || text.charAt(i) == '-')
            && isDigit(text.charAt(i + 1))) {
          i++;
          start = i;
          continue;
        }
        break;
      }
      boolean rightClean = i >= n || !Character.isLetter(text.charAt(i));
      if (runHoldsCard(groups, leftClean, rightClean)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether consecutive groups of a run hold a card. A group glued to a letter (the digits of an
   * alphanumeric id such as a UUID's last part) cannot start or end a card number.
   */
  private static boolean runHoldsCard(List<String> groups, boolean leftClean, boolean rightClean) {
    for (int first = leftClean ? 0 : 1; first < groups.size(); first++) {
      StringBuilder digits = new StringBuilder();
      for (int last = first; last < groups.size(); last++) {
        if (last > first && (groups.get(first).length() > 6 || groups.get(last).length() > 6)) {
          break;
        }
        if (last == groups.size() - 1 && !rightClean) {
          break;
        }
        digits.append(groups.get(last));
        if (digits.length() > 19) {
          break;
        }
        if (digits.length() >= 13 && luhn(digits)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean luhn(CharSequence digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
