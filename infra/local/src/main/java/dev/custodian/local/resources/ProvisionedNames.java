package dev.custodian.local.resources;

import dev.custodian.local.emulator.Emulator;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The names of what the local cloud provisioned: ARNs by table name, queue URL, key id or alias (as
 * IAM names what a call touches), and logical ids in place of a stack's ARNs (so that what clouds
 * of different stacks record can be merged).
 */
public final class ProvisionedNames {

  private final String region;
  private final String stackName;
  private final Collection<Provisioner.TableSpec> tables;
  private final Map<String, String> queueUrlsByArn;
  private final Map<String, String> keyArns;
  private final Map<String, String> aliasTargets;
  private final Map<String, String> attributes;

  ProvisionedNames(
      String region,
      String stackName,
      Collection<Provisioner.TableSpec> tables,
      Map<String, String> queueUrlsByArn,
      Map<String, String> keyArns,
      Map<String, String> aliasTargets,
      Map<String, String> attributes) {
    this.region = region;
    this.stackName = stackName;
    this.tables = tables;
    this.queueUrlsByArn = queueUrlsByArn;
    this.keyArns = keyArns;
    this.aliasTargets = aliasTargets;
    this.attributes = attributes;
  }

  /**
   * Names resources by logical id in place of this stack's ARNs ({@code OrdersTable/index/x}), so
   * what clouds of different stacks record can be merged.
   */
  public java.util.function.UnaryOperator<String> logicalNaming() {
    List<Map.Entry<String, String>> byArn = new java.util.ArrayList<>();
    attributes.forEach(
        (key, arn) -> {
          if (key.endsWith(".Arn") || key.endsWith(".StreamArn")) {
            String id = key.substring(0, key.indexOf('.'));
            byArn.add(Map.entry(arn, key.endsWith(".Arn") ? id : id + ".StreamArn"));
          }
        });
    byArn.sort((a, b) -> b.getKey().length() - a.getKey().length());
    String stackPrefix = stackName + "-";
    return text -> {
      for (Map.Entry<String, String> e : byArn) {
        if (text.startsWith(e.getKey())) {
          return e.getValue() + text.substring(e.getKey().length());
        }
      }
      // Placeholder names of resources not created here (the HTTP API): stack-LogicalId.
      return text.replace(stackPrefix, "");
    };
  }

  /** What the IAM gate needs to name by ARN what a call touches. */
  public dev.custodian.local.iam.ResourceNames resourceNames() {
    String account = Emulator.ACCOUNT_ID;
    return new dev.custodian.local.iam.ResourceNames() {
      @Override
      public String tableArn(String table) {
        if (table.startsWith("arn:")) {
          return table;
        }
        return tables.stream()
            .filter(t -> t.name().equals(table))
            .map(Provisioner.TableSpec::arn)
            .findFirst()
            .orElse("arn:aws:dynamodb:" + region + ":" + account + ":table/" + table);
      }

      @Override
      public java.util.Optional<String> partitionKey(String tableArn) {
        return tables.stream()
            .filter(t -> t.arn().equals(tableArn))
            .map(Provisioner.TableSpec::partitionKey)
            .filter(java.util.Objects::nonNull)
            .findFirst();
      }

      @Override
      public String queueArn(String queueUrl) {
        for (Map.Entry<String, String> queue : queueUrlsByArn.entrySet()) {
          if (queue.getValue().equals(queueUrl)) {
            return queue.getKey();
          }
        }
        return queueArnByName(queueUrl.substring(queueUrl.lastIndexOf('/') + 1));
      }

      @Override
      public String queueArnByName(String queueName) {
        for (String arn : queueUrlsByArn.keySet()) {
          if (arn.endsWith(":" + queueName)) {
            return arn;
          }
        }
        return "arn:aws:sqs:" + region + ":" + account + ":" + queueName;
      }

      @Override
      public String keyArn(String keyIdOrAlias) {
        String key = keyIdOrAlias;
        if (key.contains(":alias/")) {
          key = key.substring(key.indexOf(":alias/") + 1);
        }
        if (key.startsWith("alias/")) {
          key = aliasTargets.getOrDefault(key, key);
        }
        if (key.startsWith("arn:")) {
          return key;
        }
        return keyArns.getOrDefault(
            key,
            "arn:aws:kms:"
                + region
                + ":"
                + account
                + ":"
                + (key.startsWith("alias/") ? "" : "key/")
                + key);
      }

      @Override
      public String emailIdentityArn(String identity) {
        return "arn:aws:ses:" + region + ":" + account + ":identity/" + identity;
      }

      @Override
      public String configurationSetArn(String name) {
        return "arn:aws:ses:" + region + ":" + account + ":configuration-set/" + name;
      }

      @Override
      public String account() {
        return account;
      }
    };
  }
}
