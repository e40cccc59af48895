package dev.custodian.core.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A rule for one JSON value; it adds what is wrong with the value to {@link Problems}. */
@FunctionalInterface
public interface Schema {

  void check(JsonNode value, String path, Problems problems);

  /**
   * What the rule accepts, in JSON Schema's words ({@code type}, {@code required}, {@code
   * maxLength}, ...), so that the OpenAPI document can be held to the code. Empty for a rule that
   * does not say.
   */
  default Map<String, Object> describe() {
    return Map.of();
  }

  /** A rule together with its description. */
  static Schema described(Schema rule, Map<String, Object> description) {
    Map<String, Object> copy = Map.copyOf(description);
    return new Schema() {
      @Override
      public void check(JsonNode value, String path, Problems problems) {
        rule.check(value, path, problems);
      }

      @Override
      public Map<String, Object> describe() {
        return copy;
      }
    };
  }
}
