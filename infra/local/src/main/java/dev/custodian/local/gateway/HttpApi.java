package dev.custodian.local.gateway;

import dev.custodian.local.template.Template;
import java.util.List;
import java.util.Map;

/**
 * The template's HTTP API as the gateway serves it: its id (the placeholder name the resources gave
 * it) and its CORS configuration.
 *
 * @param cors null when no HTTP API sets a CorsConfiguration
 */
public record HttpApi(String id, Cors cors) {

  /** CORS as the HTTP API's CorsConfiguration sets it. */
  public record Cors(List<String> origins, List<String> methods, List<String> headers, int maxAge) {
    boolean allows(String origin) {
      return origins.contains("*") || origins.contains(origin);
    }
  }

  private static final String TYPE = "AWS::Serverless::HttpApi";

  /**
   * The id of the template's first HTTP API ("local-api" when it has none) and the first
   * CorsConfiguration its HTTP APIs set.
   */
  @SuppressWarnings("unchecked")
  public static HttpApi read(Template template, Template.Resources resources) {
    String id = null;
    Cors cors = null;
    for (Map.Entry<String, Map<String, Object>> resource : template.resources().entrySet()) {
      if (!TYPE.equals(resource.getValue().get("Type"))) {
        continue;
      }
      if (id == null) {
        id = resources.ref(resource.getKey());
      }
      Map<String, Object> properties =
          (Map<String, Object>)
              template.resolve(resource.getValue().getOrDefault("Properties", Map.of()));
      if (cors == null && properties.get("CorsConfiguration") instanceof Map<?, ?> c) {
        cors =
            new Cors(
                strings(c.get("AllowOrigins")),
                strings(c.get("AllowMethods")),
                strings(c.get("AllowHeaders")),
                c.get("MaxAge") == null ? 0 : Integer.parseInt(String.valueOf(c.get("MaxAge"))));
      }
    }
    return new HttpApi(id == null ? "local-api" : id, cors);
  }

  private static List<String> strings(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return value == null ? List.of() : List.of(String.valueOf(value));
  }
}
