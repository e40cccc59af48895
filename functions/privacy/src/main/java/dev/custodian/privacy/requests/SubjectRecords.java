package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.dynamo.BatchReader;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.orders.OrderUpdates;
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
    for (OrderItems.Held order : orders(subjectId)) {
      OrderItems.Transaction transaction = order.transaction();
      if (transaction == null
          || order.contact() == null
          || transaction.restricted()
          || !transaction.status().isOpen()) {
        continue;
      }
      if (apply(subjectId, order.contact(), corrections)) {
        updated++;
      }
    }
    return updated;
  }

  /**
   * The subject's orders that are still held, in index order, each with the items of it that are
   * held. Found through the bySubject index and read 100 to a call.
   */
  List<OrderItems.Held> orders(String subjectId) {
    List<Map<String, AttributeValue>> keys =
        indexKeys(tables.orders(), subjectId).stream().map(OrderItems::primaryKey).toList();
    return OrderItems.held(
        keys,
        RetentionRegistry.liveOnly(reader.getAll(tables.orders(), keys), core.clock().instant()));
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

  private boolean apply(String subjectId, OrderItems.Contact contact, JsonNode corrections) {
    String orderId = contact.orderId();
    try {
      core.dynamoDb()
          .updateItem(
              OrderUpdates.correction(
                  tables.orders(),
                  contact,
                  sealed(subjectId, OrderItems.Sealed.NAME.at(orderId), corrections.get("name")),
                  sealed(subjectId, OrderItems.Sealed.PHONE.at(orderId), corrections.get("phone")),
                  corrections.hasNonNull("shippingAddress")
                      ? core.keyring()
                          .seal(
                              subjectId,
                              OrderItems.Sealed.SHIPPING_ADDRESS.at(orderId),
                              corrections.get("shippingAddress").toString())
                      : null));
      return true;
    } catch (ConditionalCheckFailedException changedMeanwhile) {
      // Another correction won; this request's is applied on top next time it runs.
      return false;
    }
  }

  /** A corrected text value sealed at its address; null when it is not corrected. */
  private AttributeValue sealed(String subjectId, FieldAddress address, JsonNode value) {
    return value == null || value.isNull()
        ? null
        : core.keyring().seal(subjectId, address, value.asText());
  }
}
