package dev.custodian.core.validation;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The value types routes validate with. Strings are measured in code points. */
public final class Types {

  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream()
          .map(Currency::getCurrencyCode)
          .collect(Collectors.toUnmodifiableSet());
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
  private static final Pattern EMAIL_LOCAL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+");
  private static final Pattern EMAIL_DOMAIN =
      Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

  private Types() {}

  /**
   * A single-line string of {@code min}–{@code max} code points: no control characters, no lone
   * surrogates, no line or paragraph separators (U+2028, U+2029) and no format characters (Unicode
   * category Cf: zero-width spaces and joiners, byte-order marks, soft hyphens, bidirectional
   * overrides, tags), which split a line or hide what a text says.
   */
  public static Schema string(int min, int max) {
    return text(min, max, false, null);
  }

  /** Like {@link #string} but newlines and tabs are allowed (messages, notes). */
  public static Schema multiline(int min, int max) {
    return text(min, max, true, null);
  }

  /** A single-line string of {@code min}–{@code max} code points matching {@code pattern}. */
  public static Schema matching(int min, int max, String pattern, String description) {
    Pattern compiled = Pattern.compile(pattern);
    return text(
        min,
        max,
        false,
        (s, path, problems) -> {
          if (!compiled.matcher(s).matches()) {
            problems.add(path, "must be " + description);
          }
        },
        Map.of("pattern", "^" + pattern + "$"));
  }

  /** One of the given values, exactly. */
  public static Schema oneOf(String... values) {
    Set<String> allowed = Set.of(values);
    String list = String.join(", ", values);
    return text(
        1,
        64,
        false,
        (s, path, problems) -> {
          if (!allowed.contains(s)) {
            problems.add(path, "must be one of " + list);
          }
        },
        Map.of("enum", List.of(values)));
  }

  /** An email address: one {@code @}, a plausible local part and domain, at most 254 characters. */
  public static Schema email() {
    return text(
        3,
        254,
        false,
        (s, path, problems) -> {
          int at = s.lastIndexOf('@');
          if (at < 1
              || s.indexOf('@') != at
              || at > 64
              || !EMAIL_LOCAL.matcher(s.substring(0, at)).matches()
              || s.startsWith(".")
              || s.substring(0, at).endsWith(".")
              || s.contains("..")
              || !EMAIL_DOMAIN.matcher(s.substring(at + 1)).matches()) {
            problems.add(path, "must be an email address");
          }
        },
        Map.of("format", "email"));
  }

  /** A phone number in E.164 form, e.g. +447700900123. */
  public static Schema phone() {
    return text(
        9,
        16,
        false,
        (s, path, problems) -> {
          if (!E164.matcher(s).matches()) {
            problems.add(path, "must be a phone number in E.164 form, e.g. +447700900123");
          }
        });
  }

  /** An ISO 3166-1 alpha-2 country code, upper case. */
  public static Schema country() {
    return text(
        2,
        2,
        false,
        (s, path, problems) -> {
          if (!COUNTRIES.contains(s)) {
            problems.add(path, "must be an ISO 3166-1 alpha-2 country code");
          }
        });
  }

  /** An ISO 4217 currency code, upper case. */
  public static Schema currency() {
    return text(
        3,
        3,
        false,
        (s, path, problems) -> {
          if (!CURRENCIES.contains(s)) {
            problems.add(path, "must be an ISO 4217 currency code");
          }
        });
  }

  /** An instant in ISO-8601 UTC form, e.g. 2026-11-24T10:00:00Z. */
  public static Schema instant() {
    return text(
        20,
        40,
        false,
        (s, path, problems) -> {
          try {
            Instant.parse(s);
          } catch (DateTimeParseException e) {
            problems.add(path, "must be an ISO-8601 instant such as 2026-11-24T10:00:00Z");
          }
        },
        Map.of("format", "date-time"));
  }

  /** A whole JSON number (no fraction, not a string) within {@code min}–{@code max}. */
  public static Schema integer(long min, long max) {
    Schema checked =
        (value, path, problems) -> {
          if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problems.add(path, "must be a whole number");
            return;
          }
          long n = value.longValue();
          if (n < min || n > max) {
            problems.add(path, "must be between " + min + " and " + max);
          }
        };
    return Schema.described(checked, Map.of("type", "integer", "minimum", min, "maximum", max));
  }

  public static Schema bool() {
    return Schema.described(
        (value, path, problems) -> {
          if (!value.isBoolean()) {
            problems.add(path, "must be true or false");
          }
        },
        Map.of("type", "boolean"));
  }

  /** An array of {@code min}–{@code max} items, each checked by {@code item}. */
  public static Schema array(Schema item, int min, int max) {
    Schema checked =
        (value, path, problems) -> {
          if (!value.isArray()) {
            problems.add(path, "must be an array");
            return;
          }
          if (value.size() < min || value.size() > max) {
            problems.add(path, "must have " + min + " to " + max + " items");
            if (value.size() > max) {
              return;
            }
          }
          for (int i = 0; i < value.size(); i++) {
            item.check(value.get(i), Problems.index(path, i), problems);
          }
        };
    return Schema.described(
        checked,
        Map.of("type", "array", "minItems", min, "maxItems", max, "items", item.describe()));
  }

  /** A further check of a string that passed the common text rules. */
  @FunctionalInterface
  interface TextRule {
    void check(String value, String path, Problems problems);
  }

  private static Schema text(int min, int max, boolean multiline, TextRule rule) {
    return text(min, max, multiline, rule, Map.of());
  }

  private static Schema text(
      int min, int max, boolean multiline, TextRule rule, Map<String, Object> more) {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("type", "string");
    description.put("minLength", min);
    description.put("maxLength", max);
    description.putAll(more);
    Schema checked =
        (value, path, problems) -> {
          if (!value.isTextual()) {
            problems.add(path, "must be a string");
            return;
          }
          String s = value.textValue();
          String unsafe = unsafeCharacter(s, multiline);
          if (unsafe != null) {
            problems.add(path, unsafe);
            return;
          }
          int length = s.codePointCount(0, s.length());
          if (length < min || length > max) {
            problems.add(
                path,
                min == max
                    ? "must be " + min + " characters"
                    : "must be " + min + " to " + max + " characters");
            return;
          }
          if (min > 0 && s.isBlank()) {
            problems.add(path, "must not be blank");
            return;
          }
          if (rule != null) {
            rule.check(s, path, problems);
          }
        };
    return Schema.described(checked, description);
  }

  /** Why a string may not be stored as text, or null when it may. */
  static String unsafeCharacter(String s, boolean multiline) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return "must not contain an unpaired surrogate";
      }
      if (Character.isLowSurrogate(c)) {
        return "must not contain an unpaired surrogate";
      }
      if (c == '\n' || c == '\t' || c == '\r') {
        if (!multiline) {
          return "must be a single line";
        }
        continue;
      }
      if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
        return "must not contain control characters";
      }
      if ((c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
        return "must not contain bidirectional control characters";
      }
    }
    if (!multiline) {
      // One line, every character visible: a separator or an invisible one is not part of a name.
      for (int i = 0; i < s.length(); ) {
        int cp = s.codePointAt(i);
        int type = Character.getType(cp);
        if (type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
          return "must be a single line";
        }
        if (type == Character.FORMAT) {
          return "must not contain invisible formatting characters";
        }
        i += Character.charCount(cp);
      }
    }
    return null;
  }
}
