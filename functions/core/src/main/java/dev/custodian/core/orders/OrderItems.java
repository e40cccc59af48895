package dev.custodian.core.orders;

import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.retention.RetentionRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The orders table's items, to and from their stored form. An order is one partition: the
 * transaction record (items, amounts, status, payment provider; kept for tax), the order contact
 * data (who and where; kept for less) and one item per payment event received for it (retention:
 * docs/privacy.md). Direct identifiers are sealed by the caller under the subject's key at the
 * addresses named here ({@link Sealed}); they travel through these records still sealed.
 */
public final class OrderItems {

  /** The table's name in sealed values' associated data: stable when a backup is restored. */
  static final String LOGICAL_TABLE = "orders";

  static final String PK = "pk";
  static final String ORDER_PREFIX = "order#";
  static final String SK = "sk";
  static final String TRANSACTION = "transaction";
  static final String CONTACT = "contact";
  static final String EVENT_PREFIX = "payment#";

  static final String ORDER_ID = "orderId";
  static final String SUBJECT_ID = "subjectId";
  static final String CREATED_AT = "createdAt";
  static final String STATUS = "status";
  static final String ITEMS = "items";
  static final String SKU = "sku";
  static final String QUANTITY = "quantity";
  static final String UNIT_PRICE = "unitPrice";
  static final String TOTAL = "total";
  static final String CURRENCY = "currency";
  static final String PAYMENT_PROVIDER = "paymentProvider";
  static final String PAYMENT_REFERENCE = "paymentReference";
  static final String PROVIDER_REFERENCE = "providerReference";
  static final String CARD_LAST4 = "cardLast4";
  static final String POLICY_VERSION = "policyVersion";
  static final String HISTORY = "history";
  static final String AT = "at";
  static final String BY = "by";
  static final String EVENT = "event";
  static final String NOTE = "note";
  static final String VERSION = "version";
  static final String RESTRICTED = "restricted";
  static final String PAYMENT_FLAG = "paymentFlag";
  static final String PAYMENT_FLAGGED_AT = "paymentFlaggedAt";
  static final String EMAIL = "email";
  static final String NAME = "name";
  static final String PHONE = "phone";
  static final String SHIPPING_ADDRESS = "shippingAddress";
  static final String EVENT_ID = "eventId";
  static final String OUTCOME = "outcome";
  static final String AMOUNT = "amount";
  static final String RESULT = "result";
  static final String RECEIVED_AT = "receivedAt";

  private OrderItems() {}

  /** The sealed attributes of an order, each with the address its value is sealed at. */
  public enum Sealed {
    PAYMENT_REFERENCE(TRANSACTION, OrderItems.PAYMENT_REFERENCE),
    /** The provider's reference, sealed on the record when its signed event paid the order. */
    PROVIDER_REFERENCE(TRANSACTION, OrderItems.PROVIDER_REFERENCE),
    EMAIL(CONTACT, OrderItems.EMAIL),
    NAME(CONTACT, OrderItems.NAME),
    PHONE(CONTACT, OrderItems.PHONE),
    SHIPPING_ADDRESS(CONTACT, OrderItems.SHIPPING_ADDRESS);

    private final String sk;
    private final String attribute;

    Sealed(String sk, String attribute) {
      this.sk = sk;
      this.attribute = attribute;
    }

    public FieldAddress at(String orderId) {
      return address(orderId, sk, attribute);
    }
  }

  /** Where an operator's note to the status change that makes {@code version} is sealed. */
  public static FieldAddress noteAddress(String orderId, long version) {
    return address(orderId, TRANSACTION, NOTE + "#" + version);
  }

  private static FieldAddress address(String orderId, String sk, String attribute) {
    return new FieldAddress(LOGICAL_TABLE, partitionKey(orderId) + "/" + sk, attribute);
  }

  /** A line of an order: the catalogue's unit price at order time (absent on the oldest orders). */
  public record Line(String sku, int quantity, Long unitPrice) {}

  /** One step of the status history: no personal data, the operator by principal. */
  public record Step(OrderStatus status, String at, String by, String event, AttributeValue note) {}

  /**
   * The transaction record. {@code subjectId} and the sealed references are null once an erasure
   * has restricted it.
   */
  public record Transaction(
      String orderId,
      String subjectId,
      String createdAt,
      OrderStatus status,
      List<Line> lines,
      long total,
      String currency,
      String paymentProvider,
      AttributeValue paymentReference,
      AttributeValue providerReference,
      String cardLast4,
      String policyVersion,
      List<Step> history,
      long version,
      boolean restricted) {}

  /** The order contact data, every value sealed ({@code phone} optional). */
  public record Contact(
      String orderId,
      String subjectId,
      String createdAt,
      long version,
      AttributeValue email,
      AttributeValue name,
      AttributeValue phone,
      AttributeValue shippingAddress) {}

  /** A payment provider's event as recorded under its order: amounts and outcomes, no one named. */
  public record PaymentEvent(
      String orderId,
      String eventId,
      String outcome,
      long amount,
      String currency,
      String result,
      String flag,
      String receivedAt) {}

  /** The items of one order that are held; {@code transaction} or {@code contact} may be gone. */
  public record Held(
      String orderId,
      Transaction transaction,
      Contact contact,
      Map<String, PaymentEvent> payments) {}

  static String partitionKey(String orderId) {
    return ORDER_PREFIX + orderId;
  }

  public static Map<String, AttributeValue> transactionKey(String orderId) {
    return key(orderId, TRANSACTION);
  }

  public static Map<String, AttributeValue> contactKey(String orderId) {
    return key(orderId, CONTACT);
  }

  private static Map<String, AttributeValue> key(String orderId, String sk) {
    return Map.of(PK, AttributeValue.fromS(partitionKey(orderId)), SK, AttributeValue.fromS(sk));
  }

  /** The primary key of an item, or of an index entry that projects it. */
  public static Map<String, AttributeValue> primaryKey(Map<String, AttributeValue> item) {
    return Map.of(PK, item.get(PK), SK, item.get(SK));
  }

  public static boolean isTransaction(Map<String, AttributeValue> item) {
    return TRANSACTION.equals(item.get(SK).s());
  }

  public static boolean isContact(Map<String, AttributeValue> item) {
    return CONTACT.equals(item.get(SK).s());
  }

  /** When the order was placed, from any of its items or index entries; null when not there. */
  public static String createdAt(Map<String, AttributeValue> item) {
    return s(item, CREATED_AT);
  }

  /** Every item of one order, read consistently. */
  public static QueryRequest itemsOf(String table, String orderId) {
    return QueryRequest.builder()
        .tableName(table)
        .keyConditionExpression(PK + " = :pk")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partitionKey(orderId))))
        .consistentRead(true)
        .build();
  }

  /** A put of a new item, refused if an item of its key exists. */
  public static TransactWriteItem putNew(String table, Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  public static Map<String, AttributeValue> toItem(Transaction t, AttributeValue expiresAt) {
    Map<String, AttributeValue> item = new HashMap<>(transactionKey(t.orderId()));
    item.put(ORDER_ID, AttributeValue.fromS(t.orderId()));
    putS(item, SUBJECT_ID, t.subjectId());
    item.put(CREATED_AT, AttributeValue.fromS(t.createdAt()));
    item.put(STATUS, AttributeValue.fromS(t.status().name()));
    List<AttributeValue> lines = new ArrayList<>();
    for (Line line : t.lines()) {
      Map<String, AttributeValue> m = new HashMap<>();
      m.put(SKU, AttributeValue.fromS(line.sku()));
      m.put(QUANTITY, AttributeValue.fromN(Integer.toString(line.quantity())));
      if (line.unitPrice() != null) {
        m.put(UNIT_PRICE, AttributeValue.fromN(Long.toString(line.unitPrice())));
      }
      lines.add(AttributeValue.fromM(m));
    }
    item.put(ITEMS, AttributeValue.fromL(lines));
    item.put(TOTAL, AttributeValue.fromN(Long.toString(t.total())));
    item.put(CURRENCY, AttributeValue.fromS(t.currency()));
    putS(item, PAYMENT_PROVIDER, t.paymentProvider());
    putValue(item, PAYMENT_REFERENCE, t.paymentReference());
    putValue(item, PROVIDER_REFERENCE, t.providerReference());
    putS(item, CARD_LAST4, t.cardLast4());
    item.put(POLICY_VERSION, AttributeValue.fromS(t.policyVersion()));
    item.put(HISTORY, AttributeValue.fromL(t.history().stream().map(OrderItems::step).toList()));
    item.put(VERSION, AttributeValue.fromN(Long.toString(t.version())));
    if (t.restricted()) {
      item.put(RESTRICTED, AttributeValue.fromBool(true));
    }
    item.put(RetentionRegistry.EXPIRES_AT, expiresAt);
    return item;
  }

  public static Transaction transaction(Map<String, AttributeValue> item) {
    List<Line> lines = new ArrayList<>();
    for (AttributeValue line : item.get(ITEMS).l()) {
      Map<String, AttributeValue> m = line.m();
      lines.add(
          new Line(
              m.get(SKU).s(),
              Integer.parseInt(m.get(QUANTITY).n()),
              m.containsKey(UNIT_PRICE) ? Long.parseLong(m.get(UNIT_PRICE).n()) : null));
    }
    List<Step> history = new ArrayList<>();
    AttributeValue steps = item.get(HISTORY);
    if (steps != null && steps.hasL()) {
      for (AttributeValue step : steps.l()) {
        Map<String, AttributeValue> m = step.m();
        history.add(
            new Step(
                OrderStatus.valueOf(m.get(STATUS).s()),
                s(m, AT),
                s(m, BY),
                s(m, EVENT),
                m.get(NOTE)));
      }
    }
    AttributeValue restricted = item.get(RESTRICTED);
    return new Transaction(
        item.get(ORDER_ID).s(),
        s(item, SUBJECT_ID),
        item.get(CREATED_AT).s(),
        OrderStatus.valueOf(item.get(STATUS).s()),
        lines,
        Long.parseLong(item.get(TOTAL).n()),
        item.get(CURRENCY).s(),
        s(item, PAYMENT_PROVIDER),
        item.get(PAYMENT_REFERENCE),
        item.get(PROVIDER_REFERENCE),
        s(item, CARD_LAST4),
        s(item, POLICY_VERSION),
        history,
        item.containsKey(VERSION) ? Long.parseLong(item.get(VERSION).n()) : 1,
        restricted != null && Boolean.TRUE.equals(restricted.bool()));
  }

  public static Map<String, AttributeValue> toItem(Contact c, AttributeValue expiresAt) {
    Map<String, AttributeValue> item = new HashMap<>(contactKey(c.orderId()));
    item.put(ORDER_ID, AttributeValue.fromS(c.orderId()));
    item.put(SUBJECT_ID, AttributeValue.fromS(c.subjectId()));
    item.put(CREATED_AT, AttributeValue.fromS(c.createdAt()));
    item.put(VERSION, AttributeValue.fromN(Long.toString(c.version())));
    putValue(item, EMAIL, c.email());
    putValue(item, NAME, c.name());
    putValue(item, PHONE, c.phone());
    putValue(item, SHIPPING_ADDRESS, c.shippingAddress());
    item.put(RetentionRegistry.EXPIRES_AT, expiresAt);
    return item;
  }

  public static Contact contact(Map<String, AttributeValue> item) {
    return new Contact(
        item.get(ORDER_ID).s(),
        s(item, SUBJECT_ID),
        s(item, CREATED_AT),
        // contact data stored before corrections were versioned has none: it is the first
        item.containsKey(VERSION) ? Long.parseLong(item.get(VERSION).n()) : 1,
        item.get(EMAIL),
        item.get(NAME),
        item.get(PHONE),
        item.get(SHIPPING_ADDRESS));
  }

  public static Map<String, AttributeValue> toItem(PaymentEvent e, AttributeValue expiresAt) {
    Map<String, AttributeValue> item = new HashMap<>(key(e.orderId(), EVENT_PREFIX + e.eventId()));
    item.put(ORDER_ID, AttributeValue.fromS(e.orderId()));
    item.put(EVENT_ID, AttributeValue.fromS(e.eventId()));
    item.put(OUTCOME, AttributeValue.fromS(e.outcome()));
    item.put(AMOUNT, AttributeValue.fromN(Long.toString(e.amount())));
    item.put(CURRENCY, AttributeValue.fromS(e.currency()));
    item.put(RESULT, AttributeValue.fromS(e.result()));
    putS(item, PAYMENT_FLAG, e.flag());
    item.put(RECEIVED_AT, AttributeValue.fromS(e.receivedAt()));
    item.put(RetentionRegistry.EXPIRES_AT, expiresAt);
    return item;
  }

  public static PaymentEvent paymentEvent(Map<String, AttributeValue> item) {
    return new PaymentEvent(
        item.get(ORDER_ID).s(),
        item.get(SK).s().substring(EVENT_PREFIX.length()),
        s(item, OUTCOME),
        item.containsKey(AMOUNT) ? Long.parseLong(item.get(AMOUNT).n()) : 0,
        s(item, CURRENCY),
        item.get(RESULT).s(),
        s(item, PAYMENT_FLAG),
        s(item, RECEIVED_AT));
  }

  /** The items of each order, grouped; orders of none of the items are left out. */
  public static List<Held> held(Collection<Map<String, AttributeValue>> items) {
    return held(items, items);
  }

  /**
   * The items of each order, grouped, in the order the {@code keys} name the orders (an index's
   * order, say); orders none of whose items are among {@code items} are left out.
   */
  public static List<Held> held(
      Collection<Map<String, AttributeValue>> keys, Collection<Map<String, AttributeValue>> items) {
    Map<String, List<Map<String, AttributeValue>>> byOrder = new LinkedHashMap<>();
    keys.forEach(k -> byOrder.putIfAbsent(k.get(PK).s(), new ArrayList<>()));
    items.forEach(i -> byOrder.computeIfAbsent(i.get(PK).s(), pk -> new ArrayList<>()).add(i));
    List<Held> out = new ArrayList<>();
    byOrder.forEach(
        (pk, ofOrder) -> {
          if (ofOrder.isEmpty()) {
            return;
          }
          Transaction transaction = null;
          Contact contact = null;
          Map<String, PaymentEvent> payments = new LinkedHashMap<>();
          for (Map<String, AttributeValue> item : ofOrder) {
            String sk = item.get(SK).s();
            if (TRANSACTION.equals(sk)) {
              transaction = transaction(item);
            } else if (CONTACT.equals(sk)) {
              contact = contact(item);
            } else if (sk.startsWith(EVENT_PREFIX)) {
              PaymentEvent event = paymentEvent(item);
              payments.put(event.eventId(), event);
            }
          }
          out.add(new Held(pk.substring(ORDER_PREFIX.length()), transaction, contact, payments));
        });
    return out;
  }

  static AttributeValue step(Step step) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put(STATUS, AttributeValue.fromS(step.status().name()));
    m.put(AT, AttributeValue.fromS(step.at()));
    putS(m, BY, step.by());
    putS(m, EVENT, step.event());
    putValue(m, NOTE, step.note());
    return AttributeValue.fromM(m);
  }

  private static void putS(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, AttributeValue.fromS(value));
    }
  }

  private static void putValue(Map<String, AttributeValue> item, String name, AttributeValue v) {
    if (v != null) {
      item.put(name, v);
    }
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }
}
