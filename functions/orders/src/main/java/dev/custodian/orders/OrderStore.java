package dev.custodian.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.json.Json;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The orders table. An order is two items of two data classes with their own retention (DESIGN §5):
 * the transaction record (items, amounts, status, payment provider; kept for tax) and the order
 * contact data (who and where; kept for less). Every direct identifier is sealed under the
 * subject's key, bound to its item and attribute.
 */
final class OrderStore {

  /** The table's name in sealed values' associated data: stable when a backup is restored. */
  static final String LOGICAL_TABLE = "orders";

  static final String TRANSACTION = "transaction";
  static final String CONTACT = "contact";

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final SubjectKeyring keyring;
  private final RetentionRegistry retention;

  OrderStore(
      DynamoDbClient dynamoDb, String table, SubjectKeyring keyring, RetentionRegistry retention) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.keyring = keyring;
    this.retention = retention;
  }

  String table() {
    return table;
  }

  static String partitionKey(String orderId) {
    return "order#" + orderId;
  }

  static FieldAddress address(String orderId, String sk, String attribute) {
    return new FieldAddress(LOGICAL_TABLE, partitionKey(orderId) + "/" + sk, attribute);
  }

  /** The two puts that store a new order (to go in one transaction with its side records). */
  List<TransactWriteItem> placement(
      String orderId, String subjectId, Order.NewOrder order, Order.Priced priced, Instant now) {
    Map<String, AttributeValue> transaction = new HashMap<>();
    transaction.put("pk", AttributeValue.fromS(partitionKey(orderId)));
    transaction.put("sk", AttributeValue.fromS(TRANSACTION));
    transaction.put("orderId", AttributeValue.fromS(orderId));
    transaction.put("subjectId", AttributeValue.fromS(subjectId));
    transaction.put("createdAt", AttributeValue.fromS(now.toString()));
    transaction.put("status", AttributeValue.fromS(OrderStatus.RECEIVED.name()));
    List<AttributeValue> items = new ArrayList<>();
    // The catalogue's prices at order time: a later price change does not change the order.
    for (Order.PricedItem item : priced.items()) {
      items.add(
          AttributeValue.fromM(
              Map.of(
                  "sku", AttributeValue.fromS(item.sku()),
                  "quantity", AttributeValue.fromN(Integer.toString(item.quantity())),
                  "unitPrice", AttributeValue.fromN(Long.toString(item.unitPrice())))));
    }
    transaction.put("items", AttributeValue.fromL(items));
    transaction.put("total", AttributeValue.fromN(Long.toString(priced.total())));
    transaction.put("currency", AttributeValue.fromS(order.currency()));
    transaction.put("paymentProvider", AttributeValue.fromS(order.payment().provider()));
    transaction.put(
        "paymentReference",
        keyring.seal(
            subjectId,
            address(orderId, TRANSACTION, "paymentReference"),
            order.payment().reference()));
    if (order.payment().cardLast4() != null) {
      transaction.put("cardLast4", AttributeValue.fromS(order.payment().cardLast4()));
    }
    transaction.put("policyVersion", AttributeValue.fromS(order.policyVersion()));
    transaction.put(
        "history",
        AttributeValue.fromL(List.of(historyEntry(OrderStatus.RECEIVED, now, "customer"))));
    transaction.put("version", AttributeValue.fromN("1"));
    transaction.put(
        RetentionRegistry.EXPIRES_AT, retention.expiresAtAttribute(DataClass.TRANSACTION, now));

    Map<String, AttributeValue> contact = new HashMap<>();
    contact.put("pk", AttributeValue.fromS(partitionKey(orderId)));
    contact.put("sk", AttributeValue.fromS(CONTACT));
    contact.put("orderId", AttributeValue.fromS(orderId));
    contact.put("subjectId", AttributeValue.fromS(subjectId));
    contact.put("createdAt", AttributeValue.fromS(now.toString()));
    contact.put("version", AttributeValue.fromN("1"));
    sealContact(orderId, subjectId, order.customer(), order.shippingAddress(), contact);
    contact.put(
        RetentionRegistry.EXPIRES_AT, retention.expiresAtAttribute(DataClass.ORDER_CONTACT, now));

    return List.of(put(transaction), put(contact));
  }

  private void sealContact(
      String orderId,
      String subjectId,
      Order.Customer customer,
      Order.Address shipping,
      Map<String, AttributeValue> into) {
    into.put(
        "email", keyring.seal(subjectId, address(orderId, CONTACT, "email"), customer.email()));
    into.put("name", keyring.seal(subjectId, address(orderId, CONTACT, "name"), customer.name()));
    if (customer.phone() != null) {
      into.put(
          "phone", keyring.seal(subjectId, address(orderId, CONTACT, "phone"), customer.phone()));
    }
    into.put(
        "shippingAddress",
        keyring.seal(subjectId, address(orderId, CONTACT, "shippingAddress"), writeJson(shipping)));
  }

  TransactWriteItem put(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  static AttributeValue historyEntry(OrderStatus status, Instant at, String by) {
    return AttributeValue.fromM(
        Map.of(
            "status", AttributeValue.fromS(status.name()),
            "at", AttributeValue.fromS(at.toString()),
            "by", AttributeValue.fromS(by)));
  }

  /**
   * An order as stored: the transaction record, while it is kept the contact data, and the payment
   * events received for it (by event id).
   */
  record Stored(
      Map<String, AttributeValue> transaction,
      Map<String, AttributeValue> contact,
      Map<String, Map<String, AttributeValue>> payments) {
    /** The subject; null once the record is restricted (erasure removes the link). */
    String subjectId() {
      AttributeValue subject = transaction.get("subjectId");
      return subject == null ? null : subject.s();
    }

    OrderStatus status() {
      return OrderStatus.valueOf(transaction.get("status").s());
    }

    long version() {
      return Long.parseLong(transaction.get("version").n());
    }

    boolean restricted() {
      AttributeValue flag = transaction.get("restricted");
      return flag != null && Boolean.TRUE.equals(flag.bool());
    }
  }

  /** Both items of an order, each only while it is within its retention. */
  Optional<Stored> read(String orderId, Instant now) {
    List<Map<String, AttributeValue>> items =
        dynamoDb
            .query(
                q ->
                    q.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                            Map.of(":pk", AttributeValue.fromS(partitionKey(orderId))))
                        .consistentRead(true))
            .items();
    Map<String, AttributeValue> transaction = null;
    Map<String, AttributeValue> contact = null;
    Map<String, Map<String, AttributeValue>> payments = new HashMap<>();
    for (Map<String, AttributeValue> item : RetentionRegistry.liveOnly(items, now)) {
      String sk = item.get("sk").s();
      if (TRANSACTION.equals(sk)) {
        transaction = item;
      } else if (CONTACT.equals(sk)) {
        contact = item;
      } else if (sk.startsWith(PaymentLedger.EVENT_PREFIX)) {
        payments.put(sk.substring(PaymentLedger.EVENT_PREFIX.length()), item);
      }
    }
    return transaction == null
        ? Optional.empty()
        : Optional.of(new Stored(transaction, contact, payments));
  }

  /** The opened contact data of an order. */
  record OpenedContact(Order.Customer customer, Order.Address shippingAddress) {}

  OpenedContact openContact(String orderId, Map<String, AttributeValue> contact) {
    String subjectId = contact.get("subjectId").s();
    String email =
        keyring.open(subjectId, address(orderId, CONTACT, "email"), contact.get("email"));
    String name = keyring.open(subjectId, address(orderId, CONTACT, "name"), contact.get("name"));
    String phone =
        contact.containsKey("phone")
            ? keyring.open(subjectId, address(orderId, CONTACT, "phone"), contact.get("phone"))
            : null;
    String shipping =
        keyring.open(
            subjectId,
            address(orderId, CONTACT, "shippingAddress"),
            contact.get("shippingAddress"));
    try {
      return new OpenedContact(
          new Order.Customer(email, name, phone),
          Json.MAPPER.readValue(shipping, Order.Address.class));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The status change of an order as an optimistic update: it applies only if nobody changed the
   * order since it was read, and not once an erasure has restricted it (a note sealed under a key
   * about to be shredded would outlive the restriction).
   */
  TransactWriteItem statusChange(
      String orderId,
      long expectedVersion,
      OrderStatus next,
      Instant at,
      String by,
      AttributeValue sealedNote) {
    Map<String, AttributeValue> entry = new HashMap<>(historyEntry(next, at, by).m());
    if (sealedNote != null) {
      entry.put("note", sealedNote);
    }
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(
                        Map.of(
                            "pk", AttributeValue.fromS(partitionKey(orderId)),
                            "sk", AttributeValue.fromS(TRANSACTION)))
                    .conditionExpression("version = :expected AND attribute_not_exists(restricted)")
                    .updateExpression(
                        "SET #status = :next, history = list_append(history, :entry),"
                            + " version = :nextVersion")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(
                        Map.of(
                            ":expected", AttributeValue.fromN(Long.toString(expectedVersion)),
                            ":nextVersion",
                                AttributeValue.fromN(Long.toString(expectedVersion + 1)),
                            ":next", AttributeValue.fromS(next.name()),
                            ":entry", AttributeValue.fromL(List.of(AttributeValue.fromM(entry))))))
        .build();
  }

  private static String writeJson(Object value) {
    return Json.write(value);
  }
}
