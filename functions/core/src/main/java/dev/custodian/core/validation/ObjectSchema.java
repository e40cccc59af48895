package dev.custodian.core.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A closed JSON object: the fields it names, required or optional, and nothing else. An unknown
 * field is a problem, never silently dropped, so nothing the shop did not ask for is stored. A
 * {@code null} optional field counts as absent; a {@code null} required field as missing.
 */
public final class ObjectSchema implements Schema {

  private record Field(Schema schema, boolean required) {}

  private final Map<String, Field> fields;

  private ObjectSchema(Map<String, Field> fields) {
    this.fields = fields;
  }

  public static ObjectSchema object() {
    return new ObjectSchema(Map.of());
  }

  public ObjectSchema required(String name, Schema schema) {
    return with(name, new Field(schema, true));
  }

  public ObjectSchema optional(String name, Schema schema) {
    return with(name, new Field(schema, false));
  }

  private ObjectSchema with(String name, Field field) {
    Map<String, Field> next = new LinkedHashMap<>(fields);
    next.put(name, field);
    return new ObjectSchema(next);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> properties = new LinkedHashMap<>();
    fields.forEach((name, field) -> properties.put(name, field.schema().describe()));
    List<String> required =
        fields.entrySet().stream()
            .filter(e -> e.getValue().required())
            .map(Map.Entry::getKey)
            .toList();
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("type", "object");
    description.put("additionalProperties", false);
    description.put("required", required);
    description.put("properties", properties);
    return description;
  }

  @Override
  public void check(JsonNode value, String path, Problems problems) {
    if (value == null || !value.isObject()) {
      problems.add(path, "must be an object");
      return;
    }
    for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.containsKey(name)) {
        problems.add(Problems.child(path, name), "is not allowed");
      }
    }
    fields.forEach(
        (name, field) -> {
          JsonNode child = value.get(name);
          if (child == null || child.isNull()) {
            if (field.required()) {
              problems.add(Problems.child(path, name), "is required");
            }
            return;
          }
          field.schema().check(child, Problems.child(path, name), problems);
        });
  }
}
