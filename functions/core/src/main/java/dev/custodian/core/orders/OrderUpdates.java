package dev.custodian.core.orders;

import static dev.custodian.core.orders.OrderItems.CARD_LAST4;
import static dev.custodian.core.orders.OrderItems.HISTORY;
import static dev.custodian.core.orders.OrderItems.NAME;
import static dev.custodian.core.orders.OrderItems.NOTE;
import static dev.custodian.core.orders.OrderItems.PAYMENT_FLAG;
import static dev.custodian.core.orders.OrderItems.PAYMENT_FLAGGED_AT;
import static dev.custodian.core.orders.OrderItems.PAYMENT_REFERENCE;
import static dev.custodian.core.orders.OrderItems.PHONE;
import static dev.custodian.core.orders.OrderItems.PK;
import static dev.custodian.core.orders.OrderItems.PROVIDER_REFERENCE;
import static dev.custodian.core.orders.OrderItems.RESTRICTED;
import static dev.custodian.core.orders.OrderItems.SHIPPING_ADDRESS;
import static dev.custodian.core.orders.OrderItems.SK;
import static dev.custodian.core.orders.OrderItems.STATUS;
import static dev.custodian.core.orders.OrderItems.SUBJECT_ID;
import static dev.custodian.core.orders.OrderItems.VERSION;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The changes made to an order's items in place. A change to the transaction record is optimistic
 * (it applies only to the version read) and never applies once an erasure has restricted the
 * record: a value sealed under a key about to be shredded would outlive the restriction.
 */
public final class OrderUpdates {

  private OrderUpdates() {}

  /** A status change: the new status, and its step (with any sealed note) on the history. */
  public static TransactWriteItem statusChange(
      String table, String orderId, long expectedVersion, OrderItems.Step step) {
    Map<String, AttributeValue> set = new LinkedHashMap<>();
    set.put(STATUS, AttributeValue.fromS(step.status().name()));
    return versioned(table, orderId, expectedVersion, set, step);
  }

  /**
   * A matching payment: PAID, its step on the history, the provider's sealed reference and the
   * card's last digits when the provider sent them.
   */
  public static TransactWriteItem paid(
      String table,
      String orderId,
      long expectedVersion,
      OrderItems.Step step,
      AttributeValue sealedProviderReference,
      String cardLast4) {
    Map<String, AttributeValue> set = new LinkedHashMap<>();
    set.put(STATUS, AttributeValue.fromS(step.status().name()));
    set.put(PROVIDER_REFERENCE, sealedProviderReference);
    if (cardLast4 != null) {
      set.put(CARD_LAST4, AttributeValue.fromS(cardLast4));
    }
    return versioned(table, orderId, expectedVersion, set, step);
  }

  /** A payment that does not match the order: flagged for an operator, the status unchanged. */
  public static TransactWriteItem paymentFlagged(
      String table, String orderId, long expectedVersion, String flag, String at) {
    Map<String, AttributeValue> set = new LinkedHashMap<>();
    set.put(PAYMENT_FLAG, AttributeValue.fromS(flag));
    set.put(PAYMENT_FLAGGED_AT, AttributeValue.fromS(at));
    return versioned(table, orderId, expectedVersion, set, null);
  }

  /** A step on the history alone (a failed payment, say), the status unchanged. */
  public static TransactWriteItem stepAdded(
      String table, String orderId, long expectedVersion, OrderItems.Step step) {
    return versioned(table, orderId, expectedVersion, new LinkedHashMap<>(), step);
  }

  private static TransactWriteItem versioned(
      String table,
      String orderId,
      long expectedVersion,
      Map<String, AttributeValue> set,
      OrderItems.Step step) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    names.put("#version", VERSION);
    names.put("#restricted", RESTRICTED);
    values.put(":expected", AttributeValue.fromN(Long.toString(expectedVersion)));
    values.put(":nextVersion", AttributeValue.fromN(Long.toString(expectedVersion + 1)));
    StringBuilder update = new StringBuilder("SET #version = :nextVersion");
    int n = 0;
    for (Map.Entry<String, AttributeValue> attribute : set.entrySet()) {
      names.put("#a" + n, attribute.getKey());
      values.put(":a" + n, attribute.getValue());
      update.append(", #a").append(n).append(" = :a").append(n);
      n++;
    }
    if (step != null) {
      names.put("#history", HISTORY);
      values.put(":entry", AttributeValue.fromL(List.of(OrderItems.step(step))));
      update.append(", #history = list_append(#history, :entry)");
    }
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(OrderItems.transactionKey(orderId))
                    .conditionExpression(
                        "#version = :expected AND attribute_not_exists(#restricted)")
                    .updateExpression(update.toString())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values))
        .build();
  }

  /**
   * Corrections to an order's contact data (each value sealed at its {@link OrderItems.Sealed}
   * address, null where not corrected), applied only to the version read.
   */
  public static UpdateItemRequest correction(
      String table,
      OrderItems.Contact contact,
      AttributeValue name,
      AttributeValue phone,
      AttributeValue shippingAddress) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    names.put("#version", VERSION);
    values.put(":expected", AttributeValue.fromN(Long.toString(contact.version())));
    values.put(":next", AttributeValue.fromN(Long.toString(contact.version() + 1)));
    StringBuilder update = new StringBuilder("SET #version = :next");
    Map<String, AttributeValue> set = new LinkedHashMap<>();
    set.put(NAME, name);
    set.put(PHONE, phone);
    set.put(SHIPPING_ADDRESS, shippingAddress);
    set.forEach(
        (attribute, value) -> {
          if (value != null) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, value);
            update.append(", #").append(attribute).append(" = :").append(attribute);
          }
        });
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(OrderItems.contactKey(contact.orderId()))
        // contact data stored before corrections were versioned has no version yet
        .conditionExpression("attribute_not_exists(#version) OR #version = :expected")
        .updateExpression(update.toString())
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }

  /** How an erasure reads the transaction records it restricts: keys, subject and history. */
  public static KeysAndAttributes.Builder restrictionShape() {
    return KeysAndAttributes.builder()
        .projectionExpression("#pk, #sk, #subject, #history")
        .expressionAttributeNames(
            Map.of("#pk", PK, "#sk", SK, "#subject", SUBJECT_ID, "#history", HISTORY))
        .consistentRead(true);
  }

  /** Whether a transaction record (as {@link #restrictionShape()} reads it) is the subject's. */
  public static boolean heldBy(Map<String, AttributeValue> record, String subjectId) {
    return record.containsKey(SUBJECT_ID) && subjectId.equals(record.get(SUBJECT_ID).s());
  }

  /**
   * Restricts a transaction record in place (as {@link #restrictionShape()} read it): it loses the
   * sealed references, the sealed notes of its history and the subject id, and keeps everything
   * else byte for byte. Only while it still belongs to the subject and its history is the one read,
   * so it never recreates a record TTL deleted, nor leaves a note added meanwhile.
   */
  public static TransactWriteItem restriction(
      String table, String subjectId, Map<String, AttributeValue> record) {
    StringBuilder remove = new StringBuilder("REMOVE #payment, #provider, #subject");
    Map<String, String> names = new LinkedHashMap<>();
    names.put("#payment", PAYMENT_REFERENCE);
    names.put("#provider", PROVIDER_REFERENCE);
    names.put("#subject", SUBJECT_ID);
    names.put("#restricted", RESTRICTED);
    names.put("#history", HISTORY);
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":subject", AttributeValue.fromS(subjectId));
    values.put(":true", AttributeValue.fromBool(true));
    String historyUnchanged = "attribute_not_exists(#history)";
    AttributeValue history = record.get(HISTORY);
    if (history != null && history.hasL()) {
      List<AttributeValue> entries = history.l();
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i).hasM() && entries.get(i).m().containsKey(NOTE)) {
          names.put("#note", NOTE);
          remove.append(", #history[").append(i).append("].#note");
        }
      }
      values.put(":entries", AttributeValue.fromN(Integer.toString(entries.size())));
      historyUnchanged = "size(#history) = :entries";
    }
    String condition = "#subject = :subject AND " + historyUnchanged;
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(OrderItems.primaryKey(record))
                    .conditionExpression(condition)
                    .updateExpression("SET #restricted = :true " + remove)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values))
        .build();
  }
}
