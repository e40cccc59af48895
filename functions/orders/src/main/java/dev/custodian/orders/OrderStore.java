package dev.custodian.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.json.Json;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.orders.OrderItems.Sealed;
import dev.custodian.core.orders.OrderStatus;
import dev.custodian.core.orders.OrderUpdates;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The order functions' reads and writes of the orders table (its layout is {@link OrderItems}'s).
 * An order is two items of two data classes with their own retention: the transaction record and
 * the order contact data. Every direct identifier is sealed under the subject's key, bound to its
 * item and attribute.
 */
final class OrderStore {

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

  /** The two puts that store a new order (to go in one transaction with its side records). */
  List<TransactWriteItem> placement(
      String orderId, String subjectId, Order.NewOrder order, Order.Priced priced, Instant now) {
    String createdAt = now.toString();
    OrderItems.Transaction transaction =
        new OrderItems.Transaction(
            orderId,
            subjectId,
            createdAt,
            OrderStatus.RECEIVED,
            // The catalogue's prices at order time: a later price change does not change the order.
            priced.items().stream()
                .map(i -> new OrderItems.Line(i.sku(), i.quantity(), i.unitPrice()))
                .toList(),
            priced.total(),
            order.currency(),
            order.payment().provider(),
            keyring.seal(
                subjectId, Sealed.PAYMENT_REFERENCE.at(orderId), order.payment().reference()),
            null,
            order.payment().cardLast4(),
            order.policyVersion(),
            List.of(new OrderItems.Step(OrderStatus.RECEIVED, createdAt, "customer", null, null)),
            1,
            false);
    Order.Customer customer = order.customer();
    OrderItems.Contact contact =
        new OrderItems.Contact(
            orderId,
            subjectId,
            createdAt,
            1,
            keyring.seal(subjectId, Sealed.EMAIL.at(orderId), customer.email()),
            keyring.seal(subjectId, Sealed.NAME.at(orderId), customer.name()),
            customer.phone() == null
                ? null
                : keyring.seal(subjectId, Sealed.PHONE.at(orderId), customer.phone()),
            keyring.seal(
                subjectId,
                Sealed.SHIPPING_ADDRESS.at(orderId),
                Json.write(order.shippingAddress())));
    return List.of(
        OrderItems.putNew(
            table,
            OrderItems.toItem(
                transaction, retention.expiresAtAttribute(DataClass.TRANSACTION, now))),
        OrderItems.putNew(
            table,
            OrderItems.toItem(
                contact, retention.expiresAtAttribute(DataClass.ORDER_CONTACT, now))));
  }

  /**
   * An order as held: the transaction record, while it is kept the contact data, and the payment
   * events received for it (by event id); empty once the transaction record is gone.
   */
  Optional<OrderItems.Held> read(String orderId, Instant now) {
    return OrderItems.held(
            RetentionRegistry.liveOnly(
                dynamoDb.query(OrderItems.itemsOf(table, orderId)).items(), now))
        .stream()
        .filter(held -> held.transaction() != null)
        .findFirst();
  }

  /** The opened contact data of an order. */
  record OpenedContact(Order.Customer customer, Order.Address shippingAddress) {}

  OpenedContact openContact(OrderItems.Contact contact) {
    String orderId = contact.orderId();
    String subjectId = contact.subjectId();
    String email = keyring.open(subjectId, Sealed.EMAIL.at(orderId), contact.email());
    String name = keyring.open(subjectId, Sealed.NAME.at(orderId), contact.name());
    String phone =
        contact.phone() == null
            ? null
            : keyring.open(subjectId, Sealed.PHONE.at(orderId), contact.phone());
    String shipping =
        keyring.open(subjectId, Sealed.SHIPPING_ADDRESS.at(orderId), contact.shippingAddress());
    try {
      return new OpenedContact(
          new Order.Customer(email, name, phone),
          Json.MAPPER.readValue(shipping, Order.Address.class));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An operator's status change, as an optimistic update (see {@link OrderUpdates}); the note is
   * sealed at the address of the version the change makes.
   */
  TransactWriteItem statusChange(
      OrderItems.Transaction order, OrderStatus next, Instant at, String by, String note) {
    AttributeValue sealedNote =
        note == null
            ? null
            : keyring.seal(
                order.subjectId(),
                OrderItems.noteAddress(order.orderId(), order.version() + 1),
                note);
    return OrderUpdates.statusChange(
        table,
        order.orderId(),
        order.version(),
        new OrderItems.Step(next, at.toString(), by, null, sealedNote));
  }
}
