package dev.custodian.local.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.template.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the template's tables, queues and KMS keys (with aliases) on the emulator, in the order
 * their references need, and answers {@code Ref}/{@code GetAtt} for every resource. Resources the
 * emulator does not host (roles, alarms, log groups, the API itself) get stable placeholder values.
 */
public final class Provisioner implements Template.Resources {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Template template;
  private final Emulator emulator;
  private final String stackName;
  private final Integer visibilityTimeoutOverride;
  private final Map<String, String> refs = new HashMap<>();
  private final Map<String, String> attributes = new HashMap<>();
  private final Map<String, String> types = new HashMap<>();
  private final Map<String, TableSpec> tables = new LinkedHashMap<>();
  private final Map<String, String> queueUrlsByArn = new LinkedHashMap<>();
  private final Map<String, String> keyArns = new LinkedHashMap<>();
  private final Map<String, String> aliasTargets = new LinkedHashMap<>();
  private final List<String> created = new ArrayList<>();

  /** A table as created, with its TTL attribute (null when TTL is off). */
  public record TableSpec(String name, String ttlAttribute, String arn, String partitionKey) {}

  /**
   * @param visibilityTimeoutOverride when not null, every queue's visibility timeout (tests that
   *     watch redrive want seconds, not the minutes a deployed function needs)
   */
  public Provisioner(
      Template template, Emulator emulator, String stackName, Integer visibilityTimeoutOverride) {
    this.template = template;
    this.emulator = emulator;
    this.stackName = stackName;
    this.visibilityTimeoutOverride = visibilityTimeoutOverride;
    template.bind(this);
  }

  /** Provisions every hosted resource; returns a line per resource for the start-up log. */
  public List<String> provisionAll() {
    Map<String, Map<String, Object>> pending = new LinkedHashMap<>();
    template
        .resources()
        .forEach(
            (id, definition) -> {
              String type = String.valueOf(definition.get("Type"));
              types.put(id, type);
              switch (type) {
                case "AWS::DynamoDB::Table",
                    "AWS::SQS::Queue",
                    "AWS::KMS::Key",
                    "AWS::KMS::Alias",
                    "AWS::SES::EmailIdentity" ->
                    pending.put(id, definition);
                default -> placeholder(id, type);
              }
            });
    while (!pending.isEmpty()) {
      int before = pending.size();
      var iterator = pending.entrySet().iterator();
      while (iterator.hasNext()) {
        var entry = iterator.next();
        Map<String, Object> properties;
        try {
          Object raw = entry.getValue().get("Properties");
          @SuppressWarnings("unchecked")
          Map<String, Object> resolved =
              raw == null ? Map.of() : (Map<String, Object>) template.resolve(raw);
          properties = resolved;
        } catch (Template.NotYetProvisioned waitForIt) {
          continue;
        }
        provision(entry.getKey(), types.get(entry.getKey()), properties);
        iterator.remove();
      }
      if (pending.size() == before) {
        throw new IllegalStateException(
            "Circular or unresolvable references among " + pending.keySet());
      }
    }
    return List.copyOf(created);
  }

  public Map<String, TableSpec> tables() {
    return tables;
  }

  public String queueUrlForArn(String arn) {
    String url = queueUrlsByArn.get(arn);
    if (url == null) {
      throw new IllegalArgumentException("No local queue has the ARN " + arn);
    }
    return url;
  }

  public String physicalName(String logicalId) {
    return stackName + "-" + logicalId;
  }

  private void provision(String id, String type, Map<String, Object> properties) {
    switch (type) {
      case "AWS::DynamoDB::Table" -> createTable(id, properties);
      case "AWS::SQS::Queue" -> createQueue(id, properties);
      case "AWS::KMS::Key" -> createKey(id, properties);
      case "AWS::KMS::Alias" -> createAlias(id, properties);
      case "AWS::SES::EmailIdentity" -> createEmailIdentity(id, properties);
      default -> throw new IllegalStateException(type);
    }
  }

  private void placeholder(String id, String type) {
    String service = type.startsWith("AWS::") ? type.split("::")[1].toLowerCase() : "serverless";
    String name = physicalName(id);
    refs.put(id, name);
    attributes.put(
        id + ".Arn",
        "arn:aws:"
            + service
            + ":"
            + emulator.region().id()
            + ":"
            + Emulator.ACCOUNT_ID
            + ":"
            + name);
  }

  @SuppressWarnings("unchecked")
  private void createTable(String id, Map<String, Object> p) {
    String name = p.containsKey("TableName") ? (String) p.get("TableName") : physicalName(id);
    CreateTableRequest request = TableRequests.create(name, p);
    TableDescription table;
    try {
      table = emulator.dynamoDb().createTable(request).tableDescription();
    } catch (ResourceInUseException exists) {
      table = emulator.dynamoDb().describeTable(b -> b.tableName(name)).table();
    }
    String ttl = null;
    if (p.get("TimeToLiveSpecification") instanceof Map<?, ?> spec && bool(spec.get("Enabled"))) {
      ttl = String.valueOf(spec.get("AttributeName"));
      String attribute = ttl;
      emulator
          .dynamoDb()
          .updateTimeToLive(
              b ->
                  b.tableName(name)
                      .timeToLiveSpecification(t -> t.attributeName(attribute).enabled(true)));
    }
    refs.put(id, name);
    attributes.put(id + ".Arn", table.tableArn());
    if (table.latestStreamArn() != null) {
      attributes.put(id + ".StreamArn", table.latestStreamArn());
    }
    String partitionKey =
        table.keySchema().stream()
            .filter(k -> k.keyType() == software.amazon.awssdk.services.dynamodb.model.KeyType.HASH)
            .map(software.amazon.awssdk.services.dynamodb.model.KeySchemaElement::attributeName)
            .findFirst()
            .orElse(null);
    tables.put(id, new TableSpec(name, ttl, table.tableArn(), partitionKey));
    created.add("table " + name + (ttl == null ? "" : " (TTL on " + ttl + ")"));
  }

  private void createQueue(String id, Map<String, Object> p) {
    boolean fifo = bool(p.get("FifoQueue"));
    String name =
        p.containsKey("QueueName")
            ? (String) p.get("QueueName")
            : physicalName(id) + (fifo ? ".fifo" : "");
    Map<QueueAttributeName, String> queueAttributes = new LinkedHashMap<>();
    for (String attribute :
        List.of(
            "VisibilityTimeout",
            "MessageRetentionPeriod",
            "DelaySeconds",
            "MaximumMessageSize",
            "ReceiveMessageWaitTimeSeconds",
            "FifoQueue",
            "ContentBasedDeduplication",
            "KmsMasterKeyId",
            "KmsDataKeyReusePeriodSeconds",
            "SqsManagedSseEnabled")) {
      if (p.containsKey(attribute)) {
        queueAttributes.put(
            QueueAttributeName.fromValue(attribute), String.valueOf(p.get(attribute)));
      }
    }
    if (visibilityTimeoutOverride != null) {
      queueAttributes.put(
          QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilityTimeoutOverride));
    }
    if (p.containsKey("RedrivePolicy")) {
      queueAttributes.put(QueueAttributeName.REDRIVE_POLICY, json(p.get("RedrivePolicy")));
    }
    String url =
        emulator.sqs().createQueue(b -> b.queueName(name).attributes(queueAttributes)).queueUrl();
    String arn =
        emulator
            .sqs()
            .getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    refs.put(id, url);
    attributes.put(id + ".Arn", arn);
    attributes.put(id + ".QueueName", name);
    attributes.put(id + ".QueueUrl", url);
    queueUrlsByArn.put(arn, url);
    created.add("queue " + name);
  }

  private void createKey(String id, Map<String, Object> p) {
    CreateKeyResponse key =
        emulator
            .kms()
            .createKey(
                b -> {
                  if (p.get("Description") != null) {
                    b.description(String.valueOf(p.get("Description")));
                  }
                  if (p.get("KeyUsage") != null) {
                    b.keyUsage(String.valueOf(p.get("KeyUsage")));
                  }
                  if (p.get("KeySpec") != null) {
                    b.keySpec(String.valueOf(p.get("KeySpec")));
                  }
                });
    String keyId = key.keyMetadata().keyId();
    if (bool(p.get("EnableKeyRotation"))) {
      emulator.kms().enableKeyRotation(b -> b.keyId(keyId));
    }
    refs.put(id, keyId);
    keyArns.put(keyId, key.keyMetadata().arn());
    attributes.put(id + ".KeyId", keyId);
    attributes.put(id + ".Arn", key.keyMetadata().arn());
    created.add("kms key " + keyId);
  }

  private void createAlias(String id, Map<String, Object> p) {
    String alias = String.valueOf(p.get("AliasName"));
    String target = String.valueOf(p.get("TargetKeyId"));
    try {
      emulator.kms().createAlias(b -> b.aliasName(alias).targetKeyId(target));
    } catch (AlreadyExistsException exists) {
      emulator.kms().updateAlias(b -> b.aliasName(alias).targetKeyId(target));
    }
    refs.put(id, alias);
    aliasTargets.put(alias, target);
    created.add("kms alias " + alias);
  }

  private void createEmailIdentity(String id, Map<String, Object> p) {
    String identity = String.valueOf(p.get("EmailIdentity"));
    try {
      emulator.ses().createEmailIdentity(b -> b.emailIdentity(identity));
    } catch (software.amazon.awssdk.services.sesv2.model.AlreadyExistsException exists) {
      // created by an earlier run against the same emulator
    }
    refs.put(id, identity);
    created.add("email identity " + identity);
  }

  /** The provisioned resources by ARN, for the IAM gate and its report. */
  public ProvisionedNames names() {
    return new ProvisionedNames(
        emulator.region().id(),
        stackName,
        tables.values(),
        queueUrlsByArn,
        keyArns,
        aliasTargets,
        attributes);
  }

  @Override
  public String ref(String logicalId) {
    return refs.get(logicalId);
  }

  @Override
  public String attribute(String logicalId, String attribute) {
    return attributes.get(logicalId + "." + attribute);
  }

  private static boolean bool(Object value) {
    return TableRequests.bool(value);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
