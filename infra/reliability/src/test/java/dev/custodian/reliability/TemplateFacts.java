package dev.custodian.reliability;

import dev.custodian.local.ProjectFiles;
import dev.custodian.local.template.CfnYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** template.yaml as the rule tests read it: sections, resources by type, references. */
@SuppressWarnings("unchecked")
final class TemplateFacts {

  private static Map<String, Object> template;

  private TemplateFacts() {}

  static synchronized Map<String, Object> template() {
    if (template == null) {
      try {
        template = CfnYaml.load(ProjectFiles.root().resolve("template.yaml"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return template;
  }

  static Map<String, Object> section(String name) {
    return (Map<String, Object>) template().getOrDefault(name, Map.of());
  }

  static Map<String, Map<String, Object>> resources() {
    return (Map<String, Map<String, Object>>) (Object) section("Resources");
  }

  static Map<String, Map<String, Object>> ofType(String type) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    resources()
        .forEach(
            (id, r) -> {
              if (type.equals(r.get("Type"))) {
                out.put(id, r);
              }
            });
    return out;
  }

  static Map<String, Object> props(Map<String, Object> resource) {
    return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
  }

  static Map<String, Object> functionGlobals() {
    return (Map<String, Object>) section("Globals").getOrDefault("Function", Map.of());
  }

  /** The logical id a {@code Ref} or {@code GetAtt} names, or null. */
  static String refOrGetAttTarget(Object value) {
    if (value instanceof Map<?, ?> m && m.get("Ref") != null) {
      return String.valueOf(m.get("Ref"));
    }
    if (value instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> l) {
      return String.valueOf(l.get(0));
    }
    return null;
  }

  static List<String> list(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }
}
