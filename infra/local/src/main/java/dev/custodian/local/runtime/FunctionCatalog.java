package dev.custodian.local.runtime;

import dev.custodian.local.iam.IamGate;
import dev.custodian.local.resources.Provisioner;
import dev.custodian.local.template.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the functions of the template: handler, code, environment and event sources. */
public final class FunctionCatalog {

  private FunctionCatalog() {}

  /** The functions of {@code template}, with every reference resolved. */
  @SuppressWarnings("unchecked")
  public static List<FunctionSpec> read(
      Template template, Provisioner resources, Map<String, String> runtime) {
    Map<String, Object> globals = template.globals("Function");
    Map<String, Map<String, Object>> apis = new LinkedHashMap<>();
    template
        .resourcesOfType("AWS::Serverless::HttpApi")
        .forEach((id, definition) -> apis.put(id, Template.properties(definition)));
    Map<String, Object> apiGlobals = template.globals("HttpApi");
    List<FunctionSpec> functions = new ArrayList<>();
    template
        .resourcesOfType("AWS::Serverless::Function")
        .forEach(
            (id, definition) -> {
              Map<String, Object> own = Template.properties(definition);
              Map<String, Object> merged = new LinkedHashMap<>(globals);
              merged.putAll(own);
              Map<String, Object> p = (Map<String, Object>) template.resolve(merged);
              Map<String, String> environment = new LinkedHashMap<>();
              environment.putAll(variables(template.resolve(globals.get("Environment"))));
              environment.putAll(variables(template.resolve(own.get("Environment"))));
              environment.putAll(runtime);
              environment.put("AWS_ACCESS_KEY_ID", IamGate.accessKeyOf(id));
              String name =
                  p.containsKey("FunctionName")
                      ? String.valueOf(p.get("FunctionName"))
                      : resources.physicalName(id);
              environment.put("AWS_LAMBDA_FUNCTION_NAME", name);
              environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
              int memory = number(p, "MemorySize", 128);
              environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory));
              List<FunctionSpec.HttpRoute> routes = new ArrayList<>();
              List<FunctionSpec.QueueSource> queues = new ArrayList<>();
              List<FunctionSpec.StreamSource> streams = new ArrayList<>();
              Map<String, Object> events =
                  p.get("Events") == null ? Map.of() : (Map<String, Object>) p.get("Events");
              events.forEach(
                  (eventId, event) -> {
                    Map<String, Object> e = (Map<String, Object>) event;
                    Map<String, Object> ep = Template.properties(e);
                    switch (String.valueOf(e.get("Type"))) {
                      case "HttpApi" -> routes.add(route(ep, apis, apiGlobals, template));
                      case "SQS" ->
                          queues.add(
                              new FunctionSpec.QueueSource(
                                  String.valueOf(ep.get("Queue")),
                                  number(ep, "BatchSize", 10),
                                  number(ep, "MaximumBatchingWindowInSeconds", 0),
                                  String.valueOf(ep.get("FunctionResponseTypes"))
                                      .contains("ReportBatchItemFailures")));
                      case "DynamoDB" ->
                          streams.add(
                              new FunctionSpec.StreamSource(
                                  String.valueOf(ep.get("Stream")),
                                  number(ep, "BatchSize", 100),
                                  number(ep, "MaximumRetryAttempts", -1)));
                      default -> {
                        // Schedules and other sources are not emulated locally.
                      }
                    }
                  });
              functions.add(
                  new FunctionSpec(
                      id,
                      name,
                      String.valueOf(p.get("Handler")),
                      template
                          .directory()
                          .resolve(Path.of(String.valueOf(p.get("CodeUri"))))
                          .normalize(),
                      number(p, "Timeout", 3),
                      memory,
                      p.get("ReservedConcurrentExecutions") == null
                          ? null
                          : number(p, "ReservedConcurrentExecutions", 0),
                      Map.copyOf(environment),
                      List.copyOf(routes),
                      List.copyOf(queues),
                      List.copyOf(streams)));
            });
    return functions;
  }

  /** A whole-number property, as the template writes it (a number or a string). */
  private static int number(Map<String, Object> properties, String name, int fallback) {
    return Integer.parseInt(String.valueOf(properties.getOrDefault(name, fallback)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> variables(Object environment) {
    Map<String, String> out = new LinkedHashMap<>();
    if (environment instanceof Map<?, ?> env && env.get("Variables") instanceof Map<?, ?> vars) {
      vars.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static FunctionSpec.HttpRoute route(
      Map<String, Object> event,
      Map<String, Map<String, Object>> apis,
      Map<String, Object> apiGlobals,
      Template template) {
    String method = String.valueOf(event.getOrDefault("Method", "ANY")).toUpperCase(Locale.ROOT);
    if (method.equals("X-AMAZON-APIGATEWAY-ANY-METHOD") || method.equals("*")) {
      method = "ANY";
    }
    String path = String.valueOf(event.getOrDefault("Path", "$default"));
    Map<String, Object> api = new LinkedHashMap<>(apiGlobals);
    if (!apis.isEmpty()) {
      // ApiId is resolved to the API's placeholder name; match it back to its logical id.
      Object apiId = event.get("ApiId");
      String chosen = apis.keySet().iterator().next();
      for (String id : apis.keySet()) {
        if (String.valueOf(apiId).endsWith("-" + id)) {
          chosen = id;
        }
      }
      api.putAll((Map<String, Object>) template.resolve(apis.get(chosen)));
    }
    Map<String, Object> apiAuth =
        api.get("Auth") == null ? Map.of() : (Map<String, Object>) api.get("Auth");
    Map<String, Object> eventAuth =
        event.get("Auth") == null ? Map.of() : (Map<String, Object>) event.get("Auth");
    Object authorizer = eventAuth.getOrDefault("Authorizer", apiAuth.get("DefaultAuthorizer"));
    if (authorizer == null || authorizer.equals("NONE")) {
      return new FunctionSpec.HttpRoute(method, path, FunctionSpec.Auth.NONE);
    }
    if (authorizer.equals("AWS_IAM")) {
      return new FunctionSpec.HttpRoute(method, path, FunctionSpec.Auth.IAM);
    }
    Map<String, Object> authorizers =
        apiAuth.get("Authorizers") == null
            ? Map.of()
            : (Map<String, Object>) apiAuth.get("Authorizers");
    Map<String, Object> jwt = (Map<String, Object>) authorizers.get(String.valueOf(authorizer));
    if (jwt == null) {
      throw new IllegalArgumentException("Unknown authorizer " + authorizer + " on " + path);
    }
    Map<String, Object> config =
        jwt.get("JwtConfiguration") == null
            ? Map.of()
            : (Map<String, Object>) jwt.get("JwtConfiguration");
    Object audience = config.get("audience");
    List<String> audiences =
        audience instanceof List<?> list
            ? list.stream().map(String::valueOf).toList()
            : audience == null ? List.of() : List.of(String.valueOf(audience));
    String source =
        String.valueOf(jwt.getOrDefault("IdentitySource", "$request.header.Authorization"));
    String header = source.substring(source.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return new FunctionSpec.HttpRoute(
        method,
        path,
        new FunctionSpec.Auth(
            FunctionSpec.Auth.Kind.JWT, String.valueOf(config.get("issuer")), audiences, header));
  }
}
