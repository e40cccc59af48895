package dev.custodian.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an AWS call off the wire into what IAM authorizes it as: the action and resource of each
 * part, with the condition keys the request carries. DynamoDB, KMS and SQS speak JSON with an
 * {@code X-Amz-Target}; SES v2 is REST.
 */
public final class CallReader {

  /** A call the reader cannot name an action or resource for: it is denied (fail closed). */
  public static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  /** What a call is: its service and operation (for messages) and the authorizations it needs. */
  public record Call(String service, String operation, List<AccessRequest> requests) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ITEM_OPERATIONS =
      Set.of("GetItem", "PutItem", "UpdateItem", "DeleteItem");
  private static final Map<String, String> TRANSACT_PARTS =
      Map.of(
          "Put", "dynamodb:PutItem",
          "Update", "dynamodb:UpdateItem",
          "Delete", "dynamodb:DeleteItem",
          "ConditionCheck", "dynamodb:ConditionCheckItem",
          "Get", "dynamodb:GetItem");
  private static final Map<String, String> SQS_BATCHES =
      Map.of(
          "SendMessageBatch", "SendMessage",
          "DeleteMessageBatch", "DeleteMessage",
          "ChangeMessageVisibilityBatch", "ChangeMessageVisibility");
  private static final Pattern KEY_CONDITION =
      Pattern.compile("^\\s*(#?[A-Za-z0-9_]+)\\s*=\\s*(:[A-Za-z0-9_]+)");

  private final ResourceNames names;

  public CallReader(ResourceNames names) {
    this.names = names;
  }

  /**
   * Reads a call.
   *
   * @param target the {@code X-Amz-Target} header, or null for a REST call
   */
  public Call read(String target, String method, String path, byte[] body) throws Unreadable {
    if (target != null && target.contains(".")) {
      String prefix = target.substring(0, target.indexOf('.'));
      String operation = target.substring(target.indexOf('.') + 1);
      JsonNode request = json(body);
      if (prefix.startsWith("DynamoDB")) {
        return new Call("dynamodb", operation, dynamoDb(operation, request));
      }
      if (prefix.equals("TrentService")) {
        return new Call("kms", operation, List.of(kms(operation, request)));
      }
      if (prefix.startsWith("AmazonSQS")) {
        return new Call("sqs", operation, List.of(sqs(operation, request)));
      }
      throw new Unreadable("an unknown service target " + target);
    }
    if (path != null && path.startsWith("/v2/email/")) {
      return new Call("ses", method + " " + path, ses(method, path, json(body)));
    }
    throw new Unreadable("an unknown call " + method + " " + path);
  }

  private static JsonNode json(byte[] body) throws Unreadable {
    try {
      JsonNode node = JSON.readTree(body == null || body.length == 0 ? "{}".getBytes() : body);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException e) {
      throw new Unreadable("a body that is not JSON");
    }
  }

  // --- DynamoDB -------------------------------------------------------------------------------

  private List<AccessRequest> dynamoDb(String operation, JsonNode request) throws Unreadable {
    String action = "dynamodb:" + operation;
    switch (operation) {
      case "TransactWriteItems", "TransactGetItems" -> {
        List<AccessRequest> out = new ArrayList<>();
        for (JsonNode item : request.path("TransactItems")) {
          Iterator<String> kinds = item.fieldNames();
          if (item.size() != 1) {
            throw new Unreadable("a part of " + operation + " with " + item.size() + " members");
          }
          String kind = kinds.next();
          String partAction = TRANSACT_PARTS.get(kind);
          if (partAction == null) {
            throw new Unreadable("a part " + kind + " of " + operation);
          }
          JsonNode part = item.path(kind);
          String table = names.tableArn(text(part, "TableName", operation));
          JsonNode key = kind.equals("Put") ? part.path("Item") : part.path("Key");
          out.add(new AccessRequest(partAction, table, leadingKeys(table, List.of(key))));
        }
        return out;
      }
      case "BatchWriteItem", "BatchGetItem" -> {
        List<AccessRequest> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> tables = request.path("RequestItems").fields();
        while (tables.hasNext()) {
          Map.Entry<String, JsonNode> entry = tables.next();
          String table = names.tableArn(entry.getKey());
          List<JsonNode> keys = new ArrayList<>();
          if (operation.equals("BatchGetItem")) {
            entry.getValue().path("Keys").forEach(keys::add);
          } else {
            for (JsonNode write : entry.getValue()) {
              if (write.size() != 1) {
                throw new Unreadable("a write of BatchWriteItem with " + write.size() + " members");
              }
              keys.add(
                  write.has("PutRequest")
                      ? write.path("PutRequest").path("Item")
                      : write.path("DeleteRequest").path("Key"));
            }
          }
          out.add(new AccessRequest(action, table, leadingKeys(table, keys)));
        }
        return out;
      }
      case "DescribeStream", "GetShardIterator" -> {
        return List.of(AccessRequest.of(action, text(request, "StreamArn", operation)));
      }
      case "GetRecords" ->
          throw new Unreadable("GetRecords from a function (the stream is not named in the call)");
      case "ListStreams" -> {
        String table = request.path("TableName").asText("");
        return List.of(
            AccessRequest.of(action, table.isEmpty() ? "*" : names.tableArn(table) + "/stream/*"));
      }
      default -> {
        String tableName = request.path("TableName").asText("");
        if (tableName.isEmpty()) {
          return List.of(AccessRequest.of(action, "*"));
        }
        String table = names.tableArn(tableName);
        String index = request.path("IndexName").asText("");
        if (!index.isEmpty()) {
          return List.of(AccessRequest.of(action, table + "/index/" + index));
        }
        if (ITEM_OPERATIONS.contains(operation)) {
          JsonNode key = operation.equals("PutItem") ? request.path("Item") : request.path("Key");
          return List.of(new AccessRequest(action, table, leadingKeys(table, List.of(key))));
        }
        if (operation.equals("Query")) {
          return List.of(new AccessRequest(action, table, queryLeadingKey(table, request)));
        }
        return List.of(AccessRequest.of(action, table));
      }
    }
  }

  private Map<String, List<String>> leadingKeys(String table, List<JsonNode> items) {
    Optional<String> partitionKey = names.partitionKey(table);
    if (partitionKey.isEmpty()) {
      return Map.of();
    }
    Set<String> values = new LinkedHashSet<>();
    for (JsonNode item : items) {
      scalar(item.path(partitionKey.get())).ifPresent(values::add);
    }
    return values.isEmpty() ? Map.of() : Map.of("dynamodb:LeadingKeys", List.copyOf(values));
  }

  private Map<String, List<String>> queryLeadingKey(String table, JsonNode request) {
    Optional<String> partitionKey = names.partitionKey(table);
    Matcher m = KEY_CONDITION.matcher(request.path("KeyConditionExpression").asText(""));
    if (partitionKey.isEmpty() || !m.find()) {
      return Map.of();
    }
    String attribute = m.group(1);
    if (attribute.startsWith("#")) {
      attribute = request.path("ExpressionAttributeNames").path(attribute).asText("");
    }
    if (!attribute.equals(partitionKey.get())) {
      return Map.of();
    }
    return scalar(request.path("ExpressionAttributeValues").path(m.group(2)))
        .map(v -> Map.of("dynamodb:LeadingKeys", List.of(v)))
        .orElse(Map.of());
  }

  private static Optional<String> scalar(JsonNode value) {
    for (String type : List.of("S", "N", "B")) {
      if (value.hasNonNull(type)) {
        return Optional.of(value.path(type).asText());
      }
    }
    return Optional.empty();
  }

  // --- KMS ------------------------------------------------------------------------------------

  private AccessRequest kms(String operation, JsonNode request) throws Unreadable {
    String action = "kms:" + operation;
    Map<String, List<String>> context = new LinkedHashMap<>();
    context.put("kms:CallerAccount", List.of(names.account()));
    JsonNode encryptionContext = request.path("EncryptionContext");
    if (encryptionContext.isObject()) {
      List<String> keys = new ArrayList<>();
      encryptionContext
          .fields()
          .forEachRemaining(
              e -> {
                keys.add(e.getKey());
                context.put("kms:EncryptionContext:" + e.getKey(), List.of(e.getValue().asText()));
              });
      context.put("kms:EncryptionContextKeys", keys);
    }
    String keyId = request.path("KeyId").asText("");
    if (keyId.isEmpty()) {
      if (operation.equals("Decrypt") || operation.equals("ReEncrypt")) {
        throw new Unreadable(operation + " without a KeyId (name the key the ciphertext needs)");
      }
      return new AccessRequest(action, "*", context);
    }
    return new AccessRequest(action, names.keyArn(keyId), context);
  }

  // --- SQS ------------------------------------------------------------------------------------

  private AccessRequest sqs(String operation, JsonNode request) throws Unreadable {
    String action = "sqs:" + SQS_BATCHES.getOrDefault(operation, operation);
    String url = request.path("QueueUrl").asText("");
    if (!url.isEmpty()) {
      return AccessRequest.of(action, names.queueArn(url));
    }
    String name = request.path("QueueName").asText("");
    if (!name.isEmpty()) {
      return AccessRequest.of(action, names.queueArnByName(name));
    }
    return AccessRequest.of(action, "*");
  }

  // --- SES v2 ---------------------------------------------------------------------------------

  private List<AccessRequest> ses(String method, String path, JsonNode request) throws Unreadable {
    if (method.equals("POST") && path.equals("/v2/email/outbound-emails")) {
      String identityArn = request.path("FromEmailAddressIdentityArn").asText("");
      if (identityArn.isEmpty()) {
        String from = request.path("FromEmailAddress").asText("");
        int open = from.lastIndexOf('<');
        int close = from.indexOf('>', open + 1);
        if (open >= 0 && close < 0) {
          throw new Unreadable("SendEmail with a malformed sender");
        }
        String address = open >= 0 ? from.substring(open + 1, close) : from;
        if (address.isBlank()) {
          throw new Unreadable("SendEmail without a sender");
        }
        identityArn = names.emailIdentityArn(address.trim());
      }
      AccessRequest identity = AccessRequest.of("ses:SendEmail", identityArn);
      String configurationSet = request.path("ConfigurationSetName").asText("");
      return configurationSet.isEmpty()
          ? List.of(identity)
          : List.of(
              identity,
              AccessRequest.of("ses:SendEmail", names.configurationSetArn(configurationSet)));
    }
    throw new Unreadable("an SES call the local cloud does not authorize: " + method + " " + path);
  }

  private static String text(JsonNode node, String field, String operation) throws Unreadable {
    String value = node.path(field).asText("");
    if (value.isEmpty()) {
      throw new Unreadable(operation + " without " + field);
    }
    return value;
  }
}
