package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.dynamo.BatchReader;
import dev.custodian.core.retention.RetentionRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A subject's items found through the tables' bySubject indexes (read 100 to a call), and
 * rectification: corrections sealed at the addresses the items' writers used. {@link
 * ExportContents} reads what it shows through here.
 */
public final class SubjectRecords {

  /** The tables a subject's data lives in. */
  public record Tables(
      String orders, String contact, String analyticsEvents, String requests, String profiles) {}

  private final PrivacyCore core;
  private final Tables tables;
  private final BatchReader reader;

  public SubjectRecords(PrivacyCore core, Tables tables) {
    this.core = core;
    this.tables = tables;
    this.reader = new BatchReader(core.dynamoDb());
  }

  Tables tables() {
    return tables;
  }

  /**
   * Applies corrections to the contact data of every order not yet shipped, each with optimistic
   * locking; answers how many orders were corrected.
   */
  int rectify(String subjectId, JsonNode corrections) {
    rectifyProfile(subjectId, corrections);
    int updated = 0;
    for (Map.Entry<String, Map<String, Map<String, AttributeValue>>> order :
        orders(subjectId).entrySet()) {
      Map<String, AttributeValue> transaction = order.getValue().get("transaction");
      Map<String, AttributeValue> contact = order.getValue().get("contact");
      if (transaction == null
          || contact == null
          || transaction.containsKey("restricted")
          || !List.of("RECEIVED", "PAID", "PACKED").contains(transaction.get("status").s())) {
        continue;
      }
      if (apply(subjectId, order.getKey(), contact, corrections)) {
        updated++;
      }
    }
    return updated;
  }

  /**
   * The subject's orders that are still held: per order key, its items by sort key ({@code
   * transaction}, {@code contact}). Found through the bySubject index and read 100 to a call.
   */
  Map<String, Map<String, Map<String, AttributeValue>>> orders(String subjectId) {
    Map<String, Map<String, Map<String, AttributeValue>>> orders = new LinkedHashMap<>();
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (Map<String, AttributeValue> key : indexKeys(tables.orders(), subjectId)) {
      orders.putIfAbsent(key.get("pk").s(), new LinkedHashMap<>());
      keys.add(Map.of("pk", key.get("pk"), "sk", key.get("sk")));
    }
    for (Map<String, AttributeValue> item :
        RetentionRegistry.liveOnly(reader.getAll(tables.orders(), keys), core.clock().instant())) {
      orders.get(item.get("pk").s()).put(item.get("sk").s(), item);
    }
    orders.values().removeIf(Map::isEmpty);
    return orders;
  }

  /** The subject's items of a table keyed by {@code pk} alone, still held, in index order. */
  List<Map<String, AttributeValue>> bySubject(String table, String subjectId) {
    List<Map<String, AttributeValue>> keys =
        indexKeys(table, subjectId).stream().map(k -> Map.of("pk", k.get("pk"))).toList();
    Map<String, Map<String, AttributeValue>> byKey = new LinkedHashMap<>();
    keys.forEach(k -> byKey.put(k.get("pk").s(), null));
    for (Map<String, AttributeValue> item :
        RetentionRegistry.liveOnly(reader.getAll(table, keys), core.clock().instant())) {
      byKey.put(item.get("pk").s(), item);
    }
    return byKey.values().stream().filter(java.util.Objects::nonNull).toList();
  }

  private List<Map<String, AttributeValue>> indexKeys(String table, String subjectId) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    core.dynamoDb()
        .queryPaginator(
            q ->
                q.tableName(table)
                    .indexName("bySubject")
                    .keyConditionExpression("subjectId = :s")
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(subjectId))))
        .items()
        .forEach(keys::add);
    return keys;
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
}
