package dev.custodian.local.runtime;

import dev.custodian.local.iam.AwsManagedPolicies;
import dev.custodian.local.iam.Role;
import dev.custodian.local.iam.Statement;
import dev.custodian.local.template.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads each function's execution role from the template as SAM builds it: the statements of {@code
 * Policies} (inline statements and the template's own managed policies), and the AWS managed
 * policies SAM attaches (basic execution always; the SQS poller and the stream reader for those
 * event sources; a send permission for an event source's failure destination). What it cannot read
 * — a SAM policy template, an unknown AWS managed policy, a function's own {@code Role} — stops the
 * local cloud with a message naming it, rather than guessing.
 */
public final class RoleCatalog {

  private static final String BASIC = "AWSLambdaBasicExecutionRole";

  private RoleCatalog() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Role> read(Template template) {
    Map<String, Role> roles = new LinkedHashMap<>();
    Map<String, Object> globals = template.globals("Function");
    template
        .resourcesOfType("AWS::Serverless::Function")
        .forEach(
            (id, definition) -> {
              Map<String, Object> own = Template.properties(definition);
              if (own.containsKey("Role")) {
                throw new IllegalStateException(
                    id + " sets its own Role: the local cloud reads the roles SAM generates only");
              }
              List<Role.Grant> grants = new ArrayList<>();
              managed(BASIC, "SAM adds it to every function").forEach(grants::add);
              Object policies = own.getOrDefault("Policies", globals.get("Policies"));
              for (Object policy : policies instanceof List<?> list ? list : listOf(policies)) {
                grants.addAll(policy(template, id, policy));
              }
              Map<String, Object> events =
                  own.get("Events") == null ? Map.of() : (Map<String, Object>) own.get("Events");
              for (Object event : events.values()) {
                grants.addAll(eventSource(template, id, (Map<String, Object>) event));
              }
              roles.put(id, new Role(id, grants));
            });
    template
        .resourcesOfType("AWS::IAM::Role")
        .forEach((id, definition) -> roles.put(id, iamRole(template, id, definition)));
    return roles;
  }

  /** A role the template declares itself (the operators'): its managed and inline policies. */
  @SuppressWarnings("unchecked")
  private static Role iamRole(Template template, String id, Map<String, Object> definition) {
    Map<String, Object> properties = Template.properties(definition);
    List<Role.Grant> grants = new ArrayList<>();
    Object managed = properties.get("ManagedPolicyArns");
    for (Object policy : managed instanceof List<?> list ? list : listOf(managed)) {
      grants.addAll(policy(template, id, policy));
    }
    Object inline = properties.get("Policies");
    for (Object policy : inline instanceof List<?> list ? list : listOf(inline)) {
      Map<String, Object> resolved = (Map<String, Object>) template.resolve(policy);
      grants.addAll(
          statements(
              id + " " + resolved.get("PolicyName"),
              (Map<String, Object>) resolved.get("PolicyDocument")));
    }
    return new Role(id, grants);
  }

  private static List<Object> listOf(Object value) {
    return value == null ? List.of() : List.of(value);
  }

  @SuppressWarnings("unchecked")
  private static List<Role.Grant> policy(Template template, String function, Object policy) {
    if (policy instanceof String name) {
      return managed(name, "listed in " + function + "'s Policies");
    }
    if (!(policy instanceof Map<?, ?> map)) {
      throw new IllegalStateException(function + " has a policy the local cloud cannot read");
    }
    if (map.containsKey("Ref")) {
      String ref = String.valueOf(map.get("Ref"));
      Map<String, Object> target = template.resources().get(ref);
      if (target == null || !"AWS::IAM::ManagedPolicy".equals(target.get("Type"))) {
        throw new IllegalStateException(
            function + " lists " + ref + ", which is not a managed policy of the template");
      }
      Map<String, Object> properties =
          (Map<String, Object>) template.resolve(target.get("Properties"));
      return statements(ref, ((Map<String, Object>) properties.get("PolicyDocument")));
    }
    if (map.containsKey("Statement")) {
      return statements(function + " inline policy", (Map<String, Object>) template.resolve(map));
    }
    if (map.size() == 1 && map.keySet().iterator().next().toString().startsWith("Fn::")) {
      return policy(template, function, template.resolve(map));
    }
    throw new IllegalStateException(
        function
            + " uses the SAM policy template "
            + map.keySet()
            + ", which the local cloud does not know: write its statements out");
  }

  @SuppressWarnings("unchecked")
  private static List<Role.Grant> eventSource(
      Template template, String function, Map<String, Object> event) {
    Map<String, Object> properties =
        event.get("Properties") == null
            ? Map.of()
            : (Map<String, Object>) template.resolve(event.get("Properties"));
    List<Role.Grant> grants = new ArrayList<>();
    switch (String.valueOf(event.get("Type"))) {
      case "SQS" ->
          grants.addAll(managed("AWSLambdaSQSQueueExecutionRole", "SAM adds it for SQS events"));
      case "DynamoDB" ->
          grants.addAll(
              managed("AWSLambdaDynamoDBExecutionRole", "SAM adds it for DynamoDB streams"));
      default -> {
        // HTTP API events need no permission in the function's role.
      }
    }
    if (properties.get("DestinationConfig") instanceof Map<?, ?> destinations
        && destinations.get("OnFailure") instanceof Map<?, ?> onFailure) {
      String type = String.valueOf(onFailure.get("Type"));
      String action =
          switch (type) {
            case "SQS" -> "sqs:SendMessage";
            case "SNS" -> "sns:Publish";
            default ->
                throw new IllegalStateException(
                    function + " has an OnFailure destination of type " + type);
          };
      grants.add(
          new Role.Grant(
              function + " event source failure destination (SAM)",
              new Statement(
                  null,
                  true,
                  List.of(action),
                  false,
                  List.of(String.valueOf(onFailure.get("Destination"))),
                  false,
                  Map.of())));
    }
    return grants;
  }

  private static List<Role.Grant> managed(String nameOrArn, String why) {
    List<Statement> statements =
        AwsManagedPolicies.statements(nameOrArn)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "The AWS managed policy "
                            + nameOrArn
                            + " ("
                            + why
                            + ") is not in the local cloud's table: add its statements to"
                            + " AwsManagedPolicies"));
    String name = nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
    return statements.stream().map(s -> new Role.Grant("AWS managed " + name, s)).toList();
  }

  private static List<Role.Grant> statements(String source, Map<String, Object> document) {
    Object raw = document == null ? null : document.get("Statement");
    List<Role.Grant> grants = new ArrayList<>();
    for (Object statement : raw instanceof List<?> list ? list : listOf(raw)) {
      grants.add(new Role.Grant(source, Statement.parse((Map<?, ?>) statement)));
    }
    return grants;
  }
}
