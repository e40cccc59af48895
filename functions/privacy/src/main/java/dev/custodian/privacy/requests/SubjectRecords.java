package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.json.Json;
import dev.custodian.core.retention.RetentionRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Everything held about one subject, for access (export) and rectification: orders with their
 * contact data, contact messages, analytics events of the visitor ids given, and earlier requests.
 * Sealed values are opened with the subject's key at the addresses their writers used.
 */
final class SubjectRecords {

  /** The tables a subject's data lives in. */
  record Tables(
      String orders, String contact, String analyticsEvents, String requests, String profiles) {}

  private final PrivacyCore core;
  private final Tables tables;

  SubjectRecords(PrivacyCore core, Tables tables) {
    this.core = core;
    this.tables = tables;
  }

  /** The orders, contact messages and requests of the subject, opened. */
  Map<String, Object> gather(String subjectId, List<String> visitorPseudonyms) {
    Instant now = core.clock().instant();
    Map<String, Object> out = new LinkedHashMap<>();
    List<Map<String, Object>> orders = new ArrayList<>();
    forEachBySubject(
        tables.orders(),
        subjectId,
        key -> {
          if (!"transaction".equals(key.get("sk").s())) {
            return;
          }
          String pk = key.get("pk").s();
          Map<String, Object> order = new LinkedHashMap<>();
          for (Map<String, AttributeValue> item :
              RetentionRegistry.liveOnly(partition(tables.orders(), pk), now)) {
            if ("transaction".equals(item.get("sk").s())) {
              if (item.containsKey("restricted")) {
                return;
              }
              order.put("orderId", item.get("orderId").s());
              order.put("createdAt", item.get("createdAt").s());
              order.put("status", item.get("status").s());
              order.put("total", Long.parseLong(item.get("total").n()));
              order.put("currency", item.get("currency").s());
              List<Map<String, Object>> lines = new ArrayList<>();
              for (AttributeValue line : item.get("items").l()) {
                lines.add(
                    Map.of(
                        "sku", line.m().get("sku").s(),
                        "quantity", Integer.parseInt(line.m().get("quantity").n()),
                        "unitPrice", Long.parseLong(line.m().get("unitPrice").n())));
              }
              order.put("items", lines);
              order.put("paymentProvider", item.get("paymentProvider").s());
              for (String reference : List.of("paymentReference", "providerReference")) {
                // the provider's reference is recorded when its signed event paid the order
                if (item.containsKey(reference)) {
                  order.put(
                      reference, open(subjectId, "orders", pk + "/transaction", reference, item));
                }
              }
              order.put("policyVersion", item.get("policyVersion").s());
            } else if ("contact".equals(item.get("sk").s())) {
              Map<String, Object> contact = new LinkedHashMap<>();
              for (String attribute : List.of("email", "name", "phone")) {
                if (item.containsKey(attribute)) {
                  contact.put(
                      attribute, open(subjectId, "orders", pk + "/contact", attribute, item));
                }
              }
              contact.put(
                  "shippingAddress",
                  readTree(open(subjectId, "orders", pk + "/contact", "shippingAddress", item)));
              order.put("contact", contact);
            }
          }
          if (!order.isEmpty()) {
            orders.add(order);
          }
        });
    out.put("orders", orders);

    List<Map<String, Object>> messages = new ArrayList<>();
    forEachBySubject(
        tables.contact(),
        subjectId,
        key -> {
          Map<String, AttributeValue> item =
              core.dynamoDb()
                  .getItem(
                      b ->
                          b.tableName(tables.contact())
                              .key(Map.of("pk", key.get("pk")))
                              .consistentRead(true))
                  .item();
          if (!RetentionRegistry.isLive(item, now)) {
            return;
          }
          String pk = item.get("pk").s();
          Map<String, Object> message = new LinkedHashMap<>();
          message.put("ticketId", item.get("ticketId").s());
          message.put("topic", item.get("topic").s());
          message.put("createdAt", item.get("createdAt").s());
          for (String attribute : List.of("email", "name", "message")) {
            if (item.containsKey(attribute)) {
              message.put(attribute, open(subjectId, "contact", pk, attribute, item));
            }
          }
          messages.add(message);
        });
    out.put("contactMessages", messages);

    out.put("analyticsEvents", analyticsEvents(visitorPseudonyms));

    List<Map<String, Object>> requests = new ArrayList<>();
    forEachBySubject(
        tables.requests(),
        subjectId,
        key -> {
          Map<String, AttributeValue> item =
              core.dynamoDb()
                  .getItem(
                      b ->
                          b.tableName(tables.requests())
                              .key(Map.of("pk", key.get("pk")))
                              .consistentRead(true))
                  .item();
          if (RetentionRegistry.isLive(item, now)) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("requestId", item.get("requestId").s());
            request.put("type", item.get("type").s());
            request.put("status", item.get("status").s());
            request.put("receivedAt", item.get("receivedAt").s());
            requests.add(request);
          }
        });
    out.put("privacyRequests", requests);

    Map<String, Object> profile = profile(subjectId);
    if (profile != null) {
      out.put("profile", profile);
    }
    return out;
  }

  /** The account profile of a subject, opened; null when there is none. */
  Map<String, Object> profile(String subjectId) {
    Instant now = core.clock().instant();
    Map<String, AttributeValue> profile =
        core.dynamoDb()
            .getItem(
                b ->
                    b.tableName(tables.profiles())
                        .key(Map.of("pk", AttributeValue.fromS("profile#" + subjectId)))
                        .consistentRead(true))
            .item();
    if (RetentionRegistry.isLive(profile, now)) {
      String pk = "profile#" + subjectId;
      Map<String, Object> opened = new LinkedHashMap<>();
      for (String field : List.of("name", "phone")) {
        if (profile.containsKey(field)) {
          opened.put(field, open(subjectId, "profiles", pk, field, profile));
        }
      }
      if (profile.containsKey("addresses")) {
        opened.put("addresses", readTree(open(subjectId, "profiles", pk, "addresses", profile)));
      }
      opened.put(
          "marketingEmail",
          profile.containsKey("marketingEmail") && profile.get("marketingEmail").bool());
      return opened;
    }
    return null;
  }

  /**
   * Applies corrections to the contact data of every order not yet shipped, each with optimistic
   * locking; answers how many orders were corrected.
   */
  int rectify(String subjectId, JsonNode corrections) {
    rectifyProfile(subjectId, corrections);
    int[] updated = {0};
    Instant now = core.clock().instant();
    forEachBySubject(
        tables.orders(),
        subjectId,
        key -> {
          if (!"transaction".equals(key.get("sk").s())) {
            return;
          }
          String pk = key.get("pk").s();
          Map<String, AttributeValue> transaction = null;
          Map<String, AttributeValue> contact = null;
          for (Map<String, AttributeValue> item :
              RetentionRegistry.liveOnly(partition(tables.orders(), pk), now)) {
            if ("transaction".equals(item.get("sk").s())) {
              transaction = item;
            } else {
              contact = item;
            }
          }
          if (transaction == null
              || contact == null
              || transaction.containsKey("restricted")
              || !List.of("RECEIVED", "PAID", "PACKED").contains(transaction.get("status").s())) {
            return;
          }
          if (apply(subjectId, pk, contact, corrections)) {
            updated[0]++;
          }
        });
    return updated[0];
  }

  /** The name and phone of the subject's account profile, if it has one. */
  /** The events of the given visitors (by pseudonym), as an export shows them. */
  List<Map<String, Object>> analyticsEvents(List<String> visitorPseudonyms) {
    Instant now = core.clock().instant();
    List<Map<String, Object>> events = new ArrayList<>();
    for (String visitor : visitorPseudonyms) {
      for (Map<String, AttributeValue> item :
          RetentionRegistry.liveOnly(
              partition(tables.analyticsEvents(), "visitor#" + visitor), now)) {
        if (!item.get("sk").s().startsWith("event#")) {
          continue;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", item.get("type").s());
        // the page's type (events stored before types were kept hold their path instead)
        AttributeValue page = item.containsKey("page") ? item.get("page") : item.get("path");
        event.put("page", page == null ? "other" : page.s());
        if (item.containsKey("productId")) {
          event.put("productId", item.get("productId").s());
        }
        event.put("day", item.get("day").s());
        event.put("device", item.get("device").s());
        event.put("browser", item.get("browser").s());
        events.add(event);
      }
    }
    return events;
  }

  private void rectifyProfile(String subjectId, JsonNode corrections) {
    String pk = "profile#" + subjectId;
    StringBuilder set = new StringBuilder("SET version = version + :one");
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":one", AttributeValue.fromN("1"));
    for (String field : List.of("name", "phone")) {
      if (corrections.hasNonNull(field)) {
        set.append(", #").append(field).append(" = :").append(field);
        values.put(
            ":" + field,
            core.keyring()
                .seal(
                    subjectId,
                    new FieldAddress("profiles", pk, field),
                    corrections.get(field).asText()));
      }
    }
    if (values.size() == 1) {
      return;
    }
    Map<String, String> names = new LinkedHashMap<>();
    values.keySet().stream()
        .filter(k -> !k.equals(":one"))
        .forEach(k -> names.put("#" + k.substring(1), k.substring(1)));
    try {
      core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(tables.profiles())
                      .key(Map.of("pk", AttributeValue.fromS(pk)))
                      .conditionExpression("attribute_exists(pk)")
                      .updateExpression(set.toString())
                      .expressionAttributeNames(names)
                      .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException noProfile) {
      // a guest has no profile: only the orders are corrected
    }
  }

  private boolean apply(
      String subjectId, String pk, Map<String, AttributeValue> contact, JsonNode corrections) {
    StringBuilder set = new StringBuilder("SET version = :next");
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    long version = contact.containsKey("version") ? Long.parseLong(contact.get("version").n()) : 1;
    values.put(":expected", AttributeValue.fromN(Long.toString(version)));
    values.put(":next", AttributeValue.fromN(Long.toString(version + 1)));
    String itemKey = pk + "/contact";
    if (corrections.hasNonNull("name")) {
      set.append(", #name = :name");
      values.put(
          ":name",
          core.keyring()
              .seal(
                  subjectId,
                  new FieldAddress("orders", itemKey, "name"),
                  corrections.get("name").asText()));
    }
    if (corrections.hasNonNull("phone")) {
      set.append(", phone = :phone");
      values.put(
          ":phone",
          core.keyring()
              .seal(
                  subjectId,
                  new FieldAddress("orders", itemKey, "phone"),
                  corrections.get("phone").asText()));
    }
    if (corrections.hasNonNull("shippingAddress")) {
      set.append(", shippingAddress = :address");
      values.put(
          ":address",
          core.keyring()
              .seal(
                  subjectId,
                  new FieldAddress("orders", itemKey, "shippingAddress"),
                  corrections.get("shippingAddress").toString()));
    }
    try {
      core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(tables.orders())
                      .key(
                          Map.of(
                              "pk",
                              AttributeValue.fromS(pk),
                              "sk",
                              AttributeValue.fromS("contact")))
                      .conditionExpression("attribute_not_exists(version) OR version = :expected")
                      .updateExpression(set.toString())
                      .expressionAttributeNames(
                          corrections.hasNonNull("name") ? Map.of("#name", "name") : null)
                      .expressionAttributeValues(values));
      return true;
    } catch (ConditionalCheckFailedException changedMeanwhile) {
      // Another correction won; this request's is applied on top next time it runs.
      return false;
    }
  }

  private String open(
      String subjectId,
      String table,
      String itemKey,
      String attribute,
      Map<String, AttributeValue> item) {
    try {
      return core.keyring()
          .open(subjectId, new FieldAddress(table, itemKey, attribute), item.get(attribute));
    } catch (SubjectErasedException | FieldSealer.SealBrokenException gone) {
      return null;
    }
  }

  private List<Map<String, AttributeValue>> partition(String table, String pk) {
    return core.dynamoDb()
        .query(
            q ->
                q.tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .consistentRead(true))
        .items();
  }

  private void forEachBySubject(
      String table, String subjectId, Consumer<Map<String, AttributeValue>> each) {
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder query =
          QueryRequest.builder()
              .tableName(table)
              .indexName("bySubject")
              .keyConditionExpression("subjectId = :s")
              .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(subjectId)));
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse page = core.dynamoDb().query(query.build());
      page.items().forEach(each);
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
  }

  private static JsonNode readTree(String json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable sealed address", e);
    }
  }
}
