package dev.custodian.local.template;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SAM template with its parameters and conditions evaluated, able to resolve the intrinsic
 * functions of any part of it against the local resources.
 */
public final class Template {

  /** What {@code !Ref AWS::NoValue} resolves to: the property is left out. */
  static final Object NO_VALUE = new Object();

  /** Thrown while a reference names a resource that is not provisioned yet. */
  public static final class NotYetProvisioned extends RuntimeException {
    NotYetProvisioned(String logicalId) {
      super(logicalId, null, false, false);
    }
  }

  /** The physical values of provisioned resources. */
  public interface Resources {
    /** The value of {@code Ref logicalId}, or null while it is not provisioned. */
    String ref(String logicalId);

    /** The value of {@code GetAtt logicalId.attribute}, or null while it is not provisioned. */
    String attribute(String logicalId, String attribute);
  }

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

  private final Path directory;
  private final Map<String, Object> root;
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private final Map<String, Boolean> conditions = new LinkedHashMap<>();
  private final Map<String, String> pseudo;
  private Resources resources;

  private Template(
      Path file,
      Map<String, Object> root,
      Map<String, String> overrides,
      Map<String, String> fallbacks,
      Map<String, String> pseudo) {
    this.directory = file.toAbsolutePath().getParent();
    this.root = root;
    this.pseudo = pseudo;
    this.resources =
        new Resources() {
          @Override
          public String ref(String logicalId) {
            return null;
          }

          @Override
          public String attribute(String logicalId, String attribute) {
            return null;
          }
        };
    section("Parameters")
        .forEach(
            (name, definition) -> {
              Object value =
                  overrides.containsKey(name)
                      ? overrides.get(name)
                      : ((Map<?, ?>) definition).get("Default");
              if (value == null) {
                value = fallbacks.get(name);
              }
              if (value == null) {
                throw new IllegalArgumentException(
                    "Template parameter "
                        + name
                        + " has no default: pass --param "
                        + name
                        + "=...");
              }
              parameters.put(name, String.valueOf(value));
            });
    for (String name : overrides.keySet()) {
      if (!parameters.containsKey(name)) {
        throw new IllegalArgumentException("The template has no parameter " + name);
      }
    }
    section("Conditions").keySet().forEach(this::condition);
  }

  public static Template load(Path file, Map<String, String> overrides, Map<String, String> pseudo)
      throws IOException {
    return load(file, overrides, Map.of(), pseudo);
  }

  /**
   * @param fallbacks values for parameters the template leaves without a default (those a deploy
   *     must be given), used when no override names them
   */
  public static Template load(
      Path file,
      Map<String, String> overrides,
      Map<String, String> fallbacks,
      Map<String, String> pseudo)
      throws IOException {
    return new Template(file, CfnYaml.load(file), overrides, fallbacks, pseudo);
  }

  public Path directory() {
    return directory;
  }

  public void bind(Resources provisioned) {
    this.resources = provisioned;
  }

  public String parameter(String name) {
    return parameters.get(name);
  }

  /**
   * Sets a parameter that can only be known once resources exist (a secret wrapped with the
   * template's own key): before anything that uses it is resolved.
   */
  public void setParameter(String name, String value) {
    if (!parameters.containsKey(name)) {
      throw new IllegalArgumentException("The template has no parameter " + name);
    }
    parameters.put(name, value);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> section(String name) {
    Object section = root.get(name);
    return section == null ? Map.of() : (Map<String, Object>) section;
  }

  /** The resources of the template, by logical id, whose Condition (if any) holds. */
  @SuppressWarnings("unchecked")
  public Map<String, Map<String, Object>> resources() {
    Map<String, Map<String, Object>> active = new LinkedHashMap<>();
    section("Resources")
        .forEach(
            (id, resource) -> {
              Map<String, Object> definition = (Map<String, Object>) resource;
              Object condition = definition.get("Condition");
              if (condition == null || condition((String) condition)) {
                active.put(id, definition);
              }
            });
    return active;
  }

  /** The resources of one type ({@code AWS::Serverless::Function}, ...), as {@link #resources}. */
  public Map<String, Map<String, Object>> resourcesOfType(String type) {
    Map<String, Map<String, Object>> ofType = new LinkedHashMap<>();
    resources()
        .forEach(
            (id, definition) -> {
              if (type.equals(definition.get("Type"))) {
                ofType.put(id, definition);
              }
            });
    return ofType;
  }

  /** The Properties of a resource or an event as written (unresolved); empty when it has none. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> properties(Map<String, Object> definition) {
    Object properties = definition.get("Properties");
    return properties == null ? Map.of() : (Map<String, Object>) properties;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> globals(String kind) {
    Object globals = section("Globals").get(kind);
    return globals == null ? Map.of() : (Map<String, Object>) globals;
  }

  boolean condition(String name) {
    Boolean known = conditions.get(name);
    if (known != null) {
      return known;
    }
    Object definition = section("Conditions").get(name);
    if (definition == null) {
      throw new IllegalArgumentException("Unknown condition " + name);
    }
    boolean value = truth(definition);
    conditions.put(name, value);
    return value;
  }

  private boolean truth(Object node) {
    Object value = resolve(node);
    if (value instanceof Boolean b) {
      return b;
    }
    return Boolean.parseBoolean(String.valueOf(value));
  }

  /** Resolves every intrinsic function in {@code node}; properties that resolve to NoValue go. */
  @SuppressWarnings("unchecked")
  public Object resolve(Object node) {
    if (node instanceof Map<?, ?> map) {
      if (map.size() == 1) {
        String key = String.valueOf(map.keySet().iterator().next());
        if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) {
          return intrinsic(key, map.values().iterator().next());
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Object value = resolve(entry.getValue());
        if (value != NO_VALUE) {
          out.put(String.valueOf(entry.getKey()), value);
        }
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        Object value = resolve(item);
        if (value != NO_VALUE) {
          out.add(value);
        }
      }
      return out;
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private Object intrinsic(String function, Object argument) {
    switch (function) {
      case "Ref":
        return ref(String.valueOf(resolve(argument)));
      case "Condition":
        return condition(String.valueOf(argument));
      case "Fn::GetAtt":
        {
          List<Object> parts = (List<Object>) resolve(argument);
          return attribute(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
        }
      case "Fn::Sub":
        {
          if (argument instanceof List<?> list) {
            Map<String, Object> variables = (Map<String, Object>) resolve(list.get(1));
            return substitute(String.valueOf(list.get(0)), variables);
          }
          return substitute(String.valueOf(argument), Map.of());
        }
      case "Fn::Join":
        {
          List<Object> parts = (List<Object>) argument;
          String delimiter = String.valueOf(resolve(parts.get(0)));
          List<Object> values = (List<Object>) resolve(parts.get(1));
          List<String> strings = new ArrayList<>();
          values.forEach(v -> strings.add(String.valueOf(v)));
          return String.join(delimiter, strings);
        }
      case "Fn::Select":
        {
          List<Object> parts = (List<Object>) argument;
          int index = Integer.parseInt(String.valueOf(resolve(parts.get(0))));
          return ((List<Object>) resolve(parts.get(1))).get(index);
        }
      case "Fn::Split":
        {
          List<Object> parts = (List<Object>) argument;
          String delimiter = String.valueOf(resolve(parts.get(0)));
          String value = String.valueOf(resolve(parts.get(1)));
          return List.of(value.split(Pattern.quote(delimiter), -1));
        }
      case "Fn::If":
        {
          List<Object> parts = (List<Object>) argument;
          return condition(String.valueOf(parts.get(0)))
              ? resolve(parts.get(1))
              : resolve(parts.get(2));
        }
      case "Fn::Equals":
        {
          List<Object> parts = (List<Object>) argument;
          return String.valueOf(resolve(parts.get(0)))
              .equals(String.valueOf(resolve(parts.get(1))));
        }
      case "Fn::Not":
        return !truth(((List<Object>) argument).get(0));
      case "Fn::And":
        return ((List<Object>) argument).stream().allMatch(this::truth);
      case "Fn::Or":
        return ((List<Object>) argument).stream().anyMatch(this::truth);
      case "Fn::FindInMap":
        {
          List<Object> parts = (List<Object>) resolve(argument);
          Map<String, Object> map = (Map<String, Object>) section("Mappings").get(parts.get(0));
          Map<String, Object> inner = (Map<String, Object>) map.get(String.valueOf(parts.get(1)));
          return inner.get(String.valueOf(parts.get(2)));
        }
      default:
        throw new IllegalArgumentException("The local cloud does not support " + function);
    }
  }

  private Object ref(String name) {
    if (name.equals("AWS::NoValue")) {
      return NO_VALUE;
    }
    if (pseudo.containsKey(name)) {
      return pseudo.get(name);
    }
    if (parameters.containsKey(name)) {
      return parameters.get(name);
    }
    if (!section("Resources").containsKey(name)) {
      throw new IllegalArgumentException("Ref to unknown name " + name);
    }
    String value = resources.ref(name);
    if (value == null) {
      throw new NotYetProvisioned(name);
    }
    return value;
  }

  private String attribute(String logicalId, String attribute) {
    if (!section("Resources").containsKey(logicalId)) {
      throw new IllegalArgumentException("GetAtt of unknown resource " + logicalId);
    }
    String value = resources.attribute(logicalId, attribute);
    if (value == null) {
      throw new NotYetProvisioned(logicalId);
    }
    return value;
  }

  private String substitute(String text, Map<String, Object> variables) {
    Matcher matcher = SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      String name = matcher.group(2);
      if (!matcher.group(1).isEmpty()) {
        replacement = "${" + name + "}";
      } else if (variables.containsKey(name)) {
        replacement = String.valueOf(variables.get(name));
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        String[] parts = name.split("\\.", 2);
        replacement = attribute(parts[0], parts[1]);
      } else {
        replacement = String.valueOf(ref(name));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
