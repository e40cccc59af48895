package dev.custodian.orders;

import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.orders.OrderStatus;
import dev.custodian.core.orders.OrderUpdates;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The payment side of the orders table: one item per provider event under its order (so a replayed
 * event id is found, and a concurrent duplicate fails its condition), and the changes an event
 * makes to the transaction record. Events hold amounts and outcomes, no personal data; the
 * provider's reference is sealed under the subject's key on the transaction record.
 */
final class PaymentLedger {

  static final String BY = "payment-processor";

  /** What an event did to its order; replays answer the same. */
  enum Result {
    /** A matching success: RECEIVED → PAID. */
    PAID,
    /** A success that does not match the order (amount, currency, status): flagged, unchanged. */
    FLAGGED,
    /** A failed payment: in the order's history, nothing else changes. */
    RECORDED
  }

  /** A provider event, as its signed body says. */
  record Event(
      String eventId,
      String orderId,
      long amount,
      String currency,
      String outcome,
      String providerReference,
      String cardLast4) {

    boolean succeeded() {
      return "succeeded".equals(outcome);
    }
  }

  private final OrderStore store;
  private final SubjectKeyring keyring;
  private final RetentionRegistry retention;

  PaymentLedger(OrderStore store, SubjectKeyring keyring, RetentionRegistry retention) {
    this.store = store;
    this.keyring = keyring;
    this.retention = retention;
  }

  /** What an event already recorded for the order did, if it was received before. */
  static Optional<Result> earlier(OrderItems.Held order, String eventId) {
    OrderItems.PaymentEvent recorded = order.payments().get(eventId);
    return recorded == null ? Optional.empty() : Optional.of(Result.valueOf(recorded.result()));
  }

  /** The event's own item: only if no event of this id was recorded for the order. */
  TransactWriteItem eventRecord(Event event, Result result, String flag, Instant now) {
    return OrderItems.putNew(
        store.table(),
        OrderItems.toItem(
            new OrderItems.PaymentEvent(
                event.orderId(),
                event.eventId(),
                event.outcome(),
                event.amount(),
                event.currency(),
                result.name(),
                flag,
                now.toString()),
            retention.expiresAtAttribute(DataClass.TRANSACTION, now)));
  }

  /**
   * The change to the transaction record, as an optimistic update (the version read, and not once
   * an erasure restricted it).
   */
  TransactWriteItem orderChange(
      OrderItems.Transaction order, Event event, Result result, String flag, Instant now) {
    String orderId = event.orderId();
    return switch (result) {
      case PAID ->
          OrderUpdates.paid(
              store.table(),
              orderId,
              order.version(),
              new OrderItems.Step(OrderStatus.PAID, now.toString(), BY, null, null),
              keyring.seal(
                  order.subjectId(),
                  OrderItems.Sealed.PROVIDER_REFERENCE.at(orderId),
                  event.providerReference()),
              event.cardLast4());
      case FLAGGED ->
          OrderUpdates.paymentFlagged(
              store.table(), orderId, order.version(), flag, now.toString());
      case RECORDED ->
          OrderUpdates.stepAdded(
              store.table(),
              orderId,
              order.version(),
              new OrderItems.Step(order.status(), now.toString(), BY, "PAYMENT_FAILED", null));
    };
  }
}
