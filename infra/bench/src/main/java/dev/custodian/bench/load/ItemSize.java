package dev.custodian.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * The size DynamoDB bills for an item, from its JSON wire form: attribute names and values in
 * UTF-8, numbers at about one byte per two significant digits plus one, binaries decoded, and three
 * bytes plus one per element for maps and lists (the rules of DynamoDB's developer guide, "Item
 * sizes and formats").
 */
final class ItemSize {

  private ItemSize() {}

  /** The size in bytes of an item ({@code {"name": {"S": "..."}, ...}}). */
  static int of(JsonNode item) {
    int size = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> attribute = it.next();
      size += utf8(attribute.getKey()) + value(attribute.getValue());
    }
    return size;
  }

  private static int value(JsonNode typed) {
    Map.Entry<String, JsonNode> only = typed.fields().next();
    JsonNode v = only.getValue();
    return switch (only.getKey()) {
      case "S" -> utf8(v.asText());
      case "N" -> number(v.asText());
      case "B" -> Base64.getDecoder().decode(v.asText()).length;
      case "BOOL", "NULL" -> 1;
      case "SS" -> sum(v, e -> utf8(e.asText()));
      case "NS" -> sum(v, e -> number(e.asText()));
      case "BS" -> sum(v, e -> Base64.getDecoder().decode(e.asText()).length);
      case "M" -> 3 + v.size() + of(v);
      case "L" -> 3 + v.size() + sum(v, ItemSize::value);
      default -> 0;
    };
  }

  private static int sum(JsonNode array, java.util.function.ToIntFunction<JsonNode> size) {
    int total = 0;
    for (JsonNode element : array) {
      total += size.applyAsInt(element);
    }
    return total;
  }

  private static int number(String text) {
    String digits = text.replaceAll("[^0-9]", "").replaceAll("^0+", "").replaceAll("0+$", "");
    return Math.max(1, (digits.length() + 1) / 2) + 1;
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
