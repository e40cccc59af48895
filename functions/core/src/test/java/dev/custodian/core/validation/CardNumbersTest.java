package dev.custodian.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CardNumbersTest {

  @Test
  void findsCards_plainGroupedOrInsideText() {
    assertThat(CardNumbers.containsCardNumber("4111111111111111")).isTrue();
    assertThat(CardNumbers.containsCardNumber("4111 1111 1111 1111")).isTrue();
    assertThat(CardNumbers.containsCardNumber("4111-1111-1111-1111")).isTrue();
    assertThat(CardNumbers.containsCardNumber("order 1234 4111111111111111 please")).isTrue();
    assertThat(CardNumbers.containsCardNumber("amex 378282246310005")).isTrue();
    assertThat(CardNumbers.containsCardNumber("amex 3782-822463-10005")).isTrue();
  }

  @Test
  void leavesOtherNumbersAlone() {
    assertThat(CardNumbers.containsCardNumber("4111111111111112")).isFalse();
    assertThat(CardNumbers.containsCardNumber("+447700900123")).isFalse();
    assertThat(CardNumbers.containsCardNumber("4242")).isFalse();
    assertThat(CardNumbers.containsCardNumber("SW1A 1AA")).isFalse();
    // an unbroken run of more than 19 digits (a tracking number) is not searched inside
    assertThat(CardNumbers.containsCardNumber("41111111111111110000")).isFalse();
    assertThat(CardNumbers.containsCardNumber("2026-11-24")).isFalse();
    // all-digit UUID groups: 8 + 4 + 4 = 16 digits that pass Luhn, but not card grouping
    assertThat(CardNumbers.luhn("1234567812341234")).isFalse();
    String uuidLike = "visitor-" + "12345670-1234-1238-abcd-0123456789ab";
    assertThat(CardNumbers.luhn("123456701234123")).isFalse();
    assertThat(CardNumbers.containsCardNumber(uuidLike)).isFalse();
  }

  @Property(tries = 2000)
  void uuids_areNeverCards(@ForAll("uuids") String uuid) {
    assertThat(CardNumbers.containsCardNumber("visitor-" + uuid)).isFalse();
  }

  @Provide
  Arbitrary<String> uuids() {
    // Mostly digits, so that all-digit groups (the risky case) are common.
    return Arbitraries.strings()
        .withChars("0123456789012345678901234567890123456789abcdef")
        .ofLength(32)
        .map(
            h ->
                h.substring(0, 8)
                    + "-"
                    + h.substring(8, 12)
                    + "-"
                    + h.substring(12, 16)
                    + "-"
                    + h.substring(16, 20)
                    + "-"
                    + h.substring(20));
  }

  @Provide
  Arbitrary<String> cards() {
    return Arbitraries.strings()
        .numeric()
        .ofMinLength(12)
        .ofMaxLength(18)
        .map(CardNumbersTest::withCheckDigit);
  }

  static String withCheckDigit(String body) {
    for (int d = 0; d <= 9; d++) {
      String candidate = body + d;
      if (CardNumbers.luhn(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException();
  }

  static String grouped(String card, char separator, int every) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < card.length(); i++) {
      if (i > 0 && i % every == 0) {
        out.append(separator);
      }
      out.append(card.charAt(i));
    }
    return out.toString();
  }

  @Property(tries = 300)
  void anyLuhnValidCard_isFound_groupedAndEmbeddedInText(
      @ForAll("cards") String card,
      @ForAll("separators") char separator,
      @ForAll("letters") String before,
      @ForAll("letters") String after) {
    String text = before + " " + grouped(card, separator, 4) + " " + after;
    assertThat(CardNumbers.containsCardNumber(text)).isTrue();
  }

  @Property(tries = 300)
  void aCardWithAWrongCheckDigit_isNotFound(@ForAll("cards") String card) {
    // The check digit is not doubled, so changing it by one always breaks the Luhn sum.
    char last = card.charAt(card.length() - 1);
    String wrong = card.substring(0, card.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    assertThat(CardNumbers.containsCardNumber("ref " + wrong + " end")).isFalse();
  }

  @Provide
  Arbitrary<Character> separators() {
    return Arbitraries.of(' ', '-');
  }

  @Provide
  Arbitrary<String> letters() {
    return Arbitraries.strings().alpha().ofMaxLength(12);
  }

  @Property(tries = 100)
  void cardsAreFound_atAnyDepthOfABody(@ForAll("cards") String card) throws Exception {
    var body =
        dev.custodian.core.json.Json.MAPPER.readTree(
            "{\"a\":{\"b\":[1,{\"c\":\"see " + card + "\"}]}}");
    Problems problems = new Problems();
    CardNumbers.scan(body, "", problems);
    assertThat(problems.list())
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("a.b[1].c"));
  }
}
