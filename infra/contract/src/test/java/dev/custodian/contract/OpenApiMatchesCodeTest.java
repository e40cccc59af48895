package dev.custodian.contract;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.validation.Schema;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.template.CfnYaml;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document ({@code docs/openapi.yaml}) says what the code does: the template's routes
 * and no others, each request body as the code's schema checks it (types, required fields, closed
 * objects, lengths, ranges, item counts, allowed values), and the code's error codes.
 */
class OpenApiMatchesCodeTest {

  /**
   * The schema each route's handler reads its body with ({@code JsonBody.read}); the test fails
   * when the document gives a route a body that is not listed here, or the other way round.
   */
  static final Map<String, String> BODIES =
      Map.ofEntries(
          entry("POST /orders", "dev.custodian.orders.OrderSchemas#NEW_ORDER"),
          entry("POST /payments/events", "dev.custodian.orders.OrderSchemas#PAYMENT_EVENT"),
          entry(
              "PATCH /admin/orders/{orderId}/status",
              "dev.custodian.orders.OrderSchemas#STATUS_CHANGE"),
          entry(
              "PUT /admin/catalogue/{sku}",
              "dev.custodian.orders.catalogue.CatalogueAdminHandler#PRODUCT"),
          entry("POST /contact", "dev.custodian.contact.ContactService#MESSAGE"),
          entry("POST /events", "dev.custodian.analytics.AnalyticsService#BATCH"),
          entry("POST /events/forget", "dev.custodian.analytics.VisitorForgetting#FORGET"),
          entry(
              "POST /privacy/requests",
              "dev.custodian.privacy.requests.RequestSchemas#NEW_REQUEST"),
          entry(
              "POST /privacy/requests/{requestId}/verify",
              "dev.custodian.privacy.requests.RequestSchemas#VERIFY"),
          entry(
              "POST /admin/privacy-requests/{requestId}/extend",
              "dev.custodian.privacy.requests.PrivacyAdminHandler#REASON"),
          entry(
              "POST /admin/privacy-requests/{requestId}/deny",
              "dev.custodian.privacy.requests.PrivacyAdminHandler#REASON"),
          entry(
              "POST /admin/privacy/policy/versions",
              "dev.custodian.privacy.policy.PolicyAdminHandler#PUBLISH"),
          entry(
              "POST /admin/disclosures",
              "dev.custodian.privacy.disclosures.DisclosureAdminHandler#REQUEST"),
          entry("PUT /me", "dev.custodian.privacy.account.Profiles#UPDATE"),
          entry(
              "POST /me/privacy-requests",
              "dev.custodian.privacy.account.AccountHandler#ACCOUNT_REQUEST"));

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  private final Map<String, Object> document = load();

  @Test
  void theDocumentHasEveryRouteOfTheTemplate_andNoOther() throws IOException {
    assertThat(documentedRoutes()).isEqualTo(templateRoutes());
  }

  @Test
  void everyRequestBody_isTheSchemaItsHandlerChecks() {
    Map<String, Map<String, Object>> bodies = new LinkedHashMap<>();
    forEachOperation(
        (route, operation) -> {
          Map<String, Object> body = map(operation.get("requestBody"));
          if (!body.isEmpty()) {
            bodies.put(
                route, map(map(map(body.get("content")).get("application/json")).get("schema")));
          }
        });
    assertThat(bodies.keySet()).containsExactlyInAnyOrderElementsOf(BODIES.keySet());

    List<String> differences = new ArrayList<>();
    bodies.forEach(
        (route, documented) -> {
          Map<String, Object> code = schema(BODIES.get(route)).describe();
          assertThat(code).as("the code's schema of %s describes itself", route).isNotEmpty();
          compare(route, code, documented, differences);
        });
    assertThat(differences).as("where the document differs from the code").isEmpty();
  }

  @Test
  void theErrorCodesAreTheCodesErrorCodes() {
    Map<String, Object> error = resolve(map(map(components().get("schemas")).get("Error")));
    List<?> documented = (List<?>) map(map(error.get("properties")).get("error")).get("enum");
    assertThat(documented.stream().map(String::valueOf).collect(Collectors.toSet()))
        .isEqualTo(
            Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).collect(Collectors.toSet()));
  }

  @Test
  void everyOperation_documentsTheErrorsTheHttpEdgeAnswers() {
    List<String> missing = new ArrayList<>();
    forEachOperation(
        (route, operation) -> {
          Set<String> statuses = map(operation.get("responses")).keySet();
          List<String> expected = new ArrayList<>(List.of("500"));
          if (operation.containsKey("requestBody")) {
            // JsonBody: a body that is not JSON, not an object of the schema, too large, or sent
            // with another media type.
            expected.addAll(List.of("400", "413", "415"));
          }
          expected.stream()
              .filter(status -> !statuses.contains(status))
              .forEach(status -> missing.add(route + " " + status));
        });
    assertThat(missing).as("operations missing an error status the edge answers").isEmpty();
  }

  /** Records where a documented schema says something other than the code's description. */
  private void compare(
      String at, Map<String, Object> code, Map<String, Object> documented, List<String> out) {
    Map<String, Object> doc = resolve(documented);
    Object type = code.get("type");
    if (!type.equals(doc.get("type"))) {
      out.add(at + ": type " + doc.get("type") + ", the code " + type);
      return;
    }
    switch (String.valueOf(type)) {
      case "object" -> {
        same(at, "additionalProperties", false, doc.get("additionalProperties"), out);
        same(
            at,
            "required",
            new TreeSet<>(strings(code.get("required"))),
            new TreeSet<>(strings(doc.get("required"))),
            out);
        Map<String, Object> codeProperties = map(code.get("properties"));
        Map<String, Object> docProperties = map(doc.get("properties"));
        same(
            at,
            "properties",
            new TreeSet<>(codeProperties.keySet()),
            new TreeSet<>(docProperties.keySet()),
            out);
        codeProperties.forEach(
            (name, property) -> {
              if (docProperties.containsKey(name)) {
                compare(at + "." + name, map(property), map(docProperties.get(name)), out);
              }
            });
      }
      case "string" -> {
        if (code.containsKey("enum")) {
          same(
              at,
              "enum",
              new TreeSet<>(strings(code.get("enum"))),
              new TreeSet<>(strings(doc.get("enum"))),
              out);
          return;
        }
        same(at, "minLength", number(code.get("minLength")), lower(doc.get("minLength")), out);
        same(at, "maxLength", number(code.get("maxLength")), number(doc.get("maxLength")), out);
        if (code.containsKey("format")) {
          same(at, "format", code.get("format"), doc.get("format"), out);
        }
      }
      case "integer" -> {
        same(at, "minimum", number(code.get("minimum")), number(doc.get("minimum")), out);
        same(at, "maximum", number(code.get("maximum")), number(doc.get("maximum")), out);
      }
      case "array" -> {
        same(at, "minItems", number(code.get("minItems")), lower(doc.get("minItems")), out);
        same(at, "maxItems", number(code.get("maxItems")), number(doc.get("maxItems")), out);
        compare(at + "[]", map(code.get("items")), map(doc.get("items")), out);
      }
      default -> {}
    }
  }

  private static void same(String at, String what, Object code, Object doc, List<String> out) {
    if (!code.equals(doc)) {
      out.add(at + ": " + what + " " + doc + ", the code " + code);
    }
  }

  /** A limit as a number, or "none" when there is none. */
  private static Object number(Object value) {
    return value instanceof Number n ? (Object) n.longValue() : "none";
  }

  /** A lower bound: JSON Schema's default is 0. */
  private static Object lower(Object value) {
    return value instanceof Number n ? n.longValue() : 0L;
  }

  private static List<String> strings(Object value) {
    return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }

  /** The schema with its {@code $ref} followed. */
  private Map<String, Object> resolve(Map<String, Object> schema) {
    if (schema.get("$ref") instanceof String ref) {
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      return resolve(map(map(components().get("schemas")).get(name)));
    }
    return schema;
  }

  private Map<String, Object> components() {
    return map(document.get("components"));
  }

  private interface OperationVisitor {
    void visit(String route, Map<String, Object> operation);
  }

  private void forEachOperation(OperationVisitor visitor) {
    map(document.get("paths"))
        .forEach(
            (path, item) ->
                map(item)
                    .forEach(
                        (method, operation) -> {
                          if (METHODS.contains(method)) {
                            visitor.visit(
                                method.toUpperCase(java.util.Locale.ROOT) + " " + path,
                                map(operation));
                          }
                        }));
  }

  private Set<String> documentedRoutes() {
    Set<String> routes = new TreeSet<>();
    forEachOperation((route, operation) -> routes.add(route));
    return routes;
  }

  private static Set<String> templateRoutes() throws IOException {
    Map<String, Object> template = CfnYaml.load(ProjectFiles.root().resolve("template.yaml"));
    Set<String> routes = new TreeSet<>();
    for (Object resource : map(template.get("Resources")).values()) {
      for (Object event : map(map(map(resource).get("Properties")).get("Events")).values()) {
        Map<String, Object> e = map(event);
        if ("HttpApi".equals(e.get("Type"))) {
          Map<String, Object> properties = map(e.get("Properties"));
          routes.add(
              String.valueOf(properties.get("Method")).toUpperCase(java.util.Locale.ROOT)
                  + " "
                  + properties.get("Path"));
        }
      }
    }
    return routes;
  }

  /** The static schema a handler checks with, named as {@code class#FIELD}. */
  private static Schema schema(String name) {
    String[] parts = name.split("#");
    try {
      Field field = Class.forName(parts[0]).getDeclaredField(parts[1]);
      field.setAccessible(true);
      return (Schema) field.get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no schema " + name + ": rename it here too", e);
    }
  }

  private static Map<String, Object> load() {
    try {
      return new Yaml().load(Files.readString(ProjectFiles.root().resolve("docs/openapi.yaml")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
