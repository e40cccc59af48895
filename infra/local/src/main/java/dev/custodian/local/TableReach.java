package dev.custodian.local;

import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.iam.Role;
import dev.custodian.local.iam.Statement;
import dev.custodian.local.runtime.RoleCatalog;
import dev.custodian.local.template.Template;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tables each function of a template may read or write, from the roles the local cloud
 * enforces ({@link RoleCatalog}), and the purposes each function declares in its {@code Metadata:
 * Purposes}. The purpose-limitation test and the record of processing read the template through
 * here, so they see exactly the IAM that the local cloud (and AWS) applies.
 */
public final class TableReach {

  private static final Set<String> READS =
      Set.of(
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:Query",
          "dynamodb:Scan",
          "dynamodb:ConditionCheckItem");
  private static final Set<String> WRITES =
      Set.of(
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:BatchWriteItem");
  private static final Pattern TABLE =
      Pattern.compile("^arn:aws:dynamodb:[^:]*:[^:]*:table/([^/]+)(/.*)?$");

  /**
   * One function's reach into one table.
   *
   * @param keyPrefixes the partition keys the grants are limited to ({@code dynamodb:LeadingKeys});
   *     empty when any item of the table is reachable
   */
  public record Access(
      String function,
      List<String> purposes,
      String table,
      boolean reads,
      boolean writes,
      List<String> keyPrefixes) {}

  private TableReach() {}

  /** Every function's reach, by function and table logical id, in the template's order. */
  public static List<Access> read(Path templateFile) throws IOException {
    Template template =
        Template.load(
            templateFile,
            Map.of(),
            LocalCloud.LOCAL_PARAMETERS,
            Map.of(
                "AWS::Region", "us-east-1",
                "AWS::AccountId", Emulator.ACCOUNT_ID,
                "AWS::StackName", "reach",
                "AWS::Partition", "aws",
                "AWS::URLSuffix", "amazonaws.com"));
    Set<String> tables = new TreeSet<>();
    Set<String> streamed = new TreeSet<>();
    template
        .resources()
        .forEach(
            (id, definition) -> {
              if ("AWS::DynamoDB::Table".equals(definition.get("Type"))) {
                tables.add(id);
                if (definition.get("Properties") instanceof Map<?, ?> p
                    && p.containsKey("StreamSpecification")) {
                  streamed.add(id);
                }
              }
            });
    template.bind(
        new Template.Resources() {
          @Override
          public String ref(String logicalId) {
            return logicalId;
          }

          @Override
          public String attribute(String logicalId, String attribute) {
            String arn = "arn:aws:" + kind(template, logicalId) + ":us-east-1:0:";
            return switch (attribute) {
              case "Arn" -> arn + (tables.contains(logicalId) ? "table/" : "") + logicalId;
              case "StreamArn" -> arn + "table/" + logicalId + "/stream/local";
              default -> logicalId + "." + attribute;
            };
          }
        });
    Map<String, Role> roles = RoleCatalog.read(template);
    List<Access> out = new ArrayList<>();
    for (Map.Entry<String, Role> role : roles.entrySet()) {
      Map<String, Object> definition = template.resources().get(role.getKey());
      if (!"AWS::Serverless::Function".equals(definition.get("Type"))) {
        continue;
      }
      List<String> purposes = purposes(definition);
      Map<String, boolean[]> reach = new TreeMap<>();
      for (Role.Grant grant : role.getValue().grants()) {
        Statement s = grant.statement();
        if (!s.allow() || s.notAction() || s.notResource()) {
          continue;
        }
        boolean reads = false;
        boolean writes = false;
        boolean stream = false;
        for (String action : s.actions()) {
          String a = action.toLowerCase(Locale.ROOT);
          reads |= a.equals("dynamodb:*") || READS.stream().anyMatch(r -> r.equalsIgnoreCase(a));
          writes |= a.equals("dynamodb:*") || WRITES.stream().anyMatch(w -> w.equalsIgnoreCase(a));
          stream |= a.equals("dynamodb:*") || a.equals("dynamodb:getrecords");
        }
        if (!reads && !writes && !stream) {
          continue;
        }
        List<String> leading = leadingKeys(s);
        for (String resource : s.resources()) {
          // A stream read reaches the items of a table only when the table has a stream (SAM's
          // stream role grants GetRecords on every stream of the account).
          List<String> reached = new ArrayList<>();
          if (reads || writes) {
            reached.addAll(tablesOf(resource, tables));
          }
          if (stream) {
            tablesOf(resource, tables).stream()
                .filter(streamed::contains)
                .filter(t -> !reached.contains(t))
                .forEach(reached::add);
          }
          for (String table : reached) {
            boolean streamOnly = !reads && !writes;
            // grants limited to some partition keys stay apart from those to the whole table
            String key = table + "|" + String.join(",", new TreeSet<>(leading));
            boolean[] rw = reach.computeIfAbsent(key, t -> new boolean[2]);
            rw[0] |= reads || streamOnly || (stream && streamed.contains(table));
            rw[1] |= writes;
          }
        }
      }
      reach.forEach(
          (key, rw) -> {
            String table = key.substring(0, key.indexOf('|'));
            String leading = key.substring(key.indexOf('|') + 1);
            out.add(
                new Access(
                    role.getKey(),
                    purposes,
                    table,
                    rw[0],
                    rw[1],
                    leading.isEmpty() ? List.of() : List.of(leading.split(","))));
          });
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> purposes(Map<String, Object> definition) {
    if (definition.get("Metadata") instanceof Map<?, ?> metadata
        && metadata.get("Purposes") instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static String kind(Template template, String logicalId) {
    Object type = template.resources().get(logicalId).get("Type");
    String t = String.valueOf(type);
    return t.startsWith("AWS::DynamoDB") ? "dynamodb" : t.toLowerCase(Locale.ROOT);
  }

  private static List<String> tablesOf(String resource, Set<String> tables) {
    if (resource.equals("*") || resource.equals("arn:aws:dynamodb:*")) {
      return List.copyOf(tables);
    }
    Matcher m = TABLE.matcher(resource);
    if (!m.matches()) {
      return List.of();
    }
    String name = m.group(1);
    if (name.contains("*")) {
      return tables.stream().filter(t -> Wildcard.matches(name, t)).toList();
    }
    return tables.contains(name) ? List.of(name) : List.of();
  }

  private static List<String> leadingKeys(Statement s) {
    List<String> out = new ArrayList<>();
    s.conditions()
        .forEach(
            (operator, keys) -> {
              if (operator.startsWith("ForAllValues:StringEquals")
                  || operator.startsWith("ForAllValues:StringLike")) {
                List<String> values = keys.get("dynamodb:LeadingKeys");
                if (values != null) {
                  out.addAll(values);
                }
              }
            });
    return out;
  }

  /** A glob of {@code *} and {@code ?} over a table name. */
  private static final class Wildcard {
    static boolean matches(String pattern, String value) {
      StringBuilder regex = new StringBuilder();
      for (char c : pattern.toCharArray()) {
        regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
      }
      return value.matches(regex.toString());
    }
  }
}
