package dev.custodian.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.custodian.core.http.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypesTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static List<ApiException.FieldProblem> problems(Schema schema, JsonNode value) {
    Problems problems = new Problems();
    schema.check(value, "f", problems);
    return problems.list();
  }

  private static boolean ok(Schema schema, String value) {
    return problems(schema, F.textNode(value)).isEmpty();
  }

  @Test
  void email_acceptsAddresses_andRefusesLookalikes() {
    assertThat(ok(Types.email(), "jane.doe+shop@example.co.uk")).isTrue();
    for (String bad :
        new String[] {
          "jane",
          "@example.com",
          "jane@",
          "a@b",
          "a@@b.com",
          "a b@c.com",
          "a..b@c.com",
          ".a@c.com",
          "a@c..com",
          "x".repeat(65) + "@c.com",
          "a@" + "b".repeat(250) + ".com"
        }) {
      assertThat(ok(Types.email(), bad)).as(bad).isFalse();
    }
  }

  @Test
  void phone_country_currency_followTheirStandards() {
    assertThat(ok(Types.phone(), "+447700900123")).isTrue();
    assertThat(ok(Types.phone(), "07700900123")).isFalse();
    assertThat(ok(Types.phone(), "+0123456789")).isFalse();
    assertThat(ok(Types.country(), "GB")).isTrue();
    assertThat(ok(Types.country(), "gb")).isFalse();
    assertThat(ok(Types.country(), "XX")).isFalse();
    assertThat(ok(Types.currency(), "EUR")).isTrue();
    assertThat(ok(Types.currency(), "EURO")).isFalse();
    assertThat(ok(Types.currency(), "ABC")).isFalse();
  }

  @Test
  void strings_countCodePoints_andRefuseControlAndBidiCharacters() {
    Schema name = Types.string(1, 3);
    assertThat(ok(name, "😀😀😀")).isTrue();
    assertThat(ok(name, "😀😀😀😀")).isFalse();
    assertThat(ok(name, "")).isFalse();
    assertThat(ok(name, "  ")).isFalse();
    assertThat(ok(name, "a\u0000")).isFalse();
    assertThat(ok(name, "a\u202e")).isFalse();
    assertThat(ok(name, "a\ud800")).isFalse();
    assertThat(ok(name, "a\nb")).isFalse();
    assertThat(ok(Types.multiline(1, 10), "a\nb")).isTrue();
  }

  @Test
  void singleLineStrings_refuseSeparatorsAndFormatCharacters_multilineKeepsEmojiJoiners() {
    Schema name = Types.string(1, 20);
    for (String hidden :
        new String[] {
          "\u2028",
          "\u2029",
          "\u200b",
          "\u200d",
          "\ufeff",
          "\u00ad",
          "\u2060",
          "\u061c",
          "\udb40\udc41",
          "\u0085",
          "\u009f"
        }) {
      assertThat(ok(name, "a" + hidden + "b")).as("U+%04X", hidden.codePointAt(0)).isFalse();
      assertThat(ok(Types.email(), "a" + hidden + "@example.com")).isFalse();
    }
    assertThat(ok(name, "Zoë Ñandú 李")).isTrue();
    assertThat(ok(Types.multiline(1, 20), "\ud83d\udc68\u200d\ud83d\udc69")).isTrue();
    assertThat(ok(Types.multiline(1, 20), "a\u202eb")).isFalse();
  }

  @Test
  void integers_mustBeWholeJsonNumbersInRange() {
    Schema quantity = Types.integer(1, 1000);
    assertThat(problems(quantity, F.numberNode(5))).isEmpty();
    assertThat(problems(quantity, F.numberNode(0))).isNotEmpty();
    assertThat(problems(quantity, F.numberNode(1001))).isNotEmpty();
    assertThat(problems(quantity, F.numberNode(1.5))).isNotEmpty();
    assertThat(problems(quantity, F.textNode("5"))).isNotEmpty();
    assertThat(problems(quantity, F.booleanNode(true))).isNotEmpty();
    assertThat(problems(quantity, F.numberNode(new java.math.BigInteger("99999999999999999999"))))
        .isNotEmpty();
  }

  @Test
  void arrays_boundTheirSize_andCheckEachItem_withIndexedPaths() {
    Schema list = Types.array(Types.integer(0, 9), 1, 2);
    assertThat(problems(list, F.arrayNode())).isNotEmpty();
    assertThat(problems(list, F.arrayNode().add(1).add(2).add(3))).isNotEmpty();
    assertThat(problems(list, F.arrayNode().add(1).add(42)))
        .extracting(ApiException.FieldProblem::field)
        .containsExactly("f[1]");
  }

  @Test
  void oneOf_and_instant() {
    assertThat(ok(Types.oneOf("A", "B"), "A")).isTrue();
    assertThat(ok(Types.oneOf("A", "B"), "a")).isFalse();
    assertThat(ok(Types.instant(), "2026-11-24T10:00:00Z")).isTrue();
    assertThat(ok(Types.instant(), "2026-11-24 10:00")).isFalse();
  }

  @Test
  void problems_areCapped() {
    Problems problems = new Problems();
    for (int i = 0; i < 100; i++) {
      problems.add("f" + i, "bad");
    }
    assertThat(problems.list()).hasSize(Problems.MAX);
  }
}
