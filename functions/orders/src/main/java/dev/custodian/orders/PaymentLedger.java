package dev.custodian.orders;

import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The payment side of the orders table: one item per provider event under its order (so a replayed
 * event id is found, and a concurrent duplicate fails its condition), and the changes an event
 * makes to the transaction record. Events hold amounts and outcomes, no personal data; the
 * provider's reference is sealed under the subject's key on the transaction record.
 */
final class PaymentLedger {

  static final String EVENT_PREFIX = "payment#";
  static final String BY = "payment-processor";
  static final String PROVIDER_REFERENCE = "providerReference";
  static final String FLAG = "paymentFlag";

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
  static Optional<Result> earlier(OrderStore.Stored order, String eventId) {
    Map<String, AttributeValue> item = order.payments().get(eventId);
    return item == null ? Optional.empty() : Optional.of(Result.valueOf(item.get("result").s()));
  }

  /** The event's own item: only if no event of this id was recorded for the order. */
  TransactWriteItem eventRecord(Event event, Result result, String flag, Instant now) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(OrderStore.partitionKey(event.orderId())));
    item.put("sk", AttributeValue.fromS(EVENT_PREFIX + event.eventId()));
    item.put("orderId", AttributeValue.fromS(event.orderId()));
    item.put("eventId", AttributeValue.fromS(event.eventId()));
    item.put("outcome", AttributeValue.fromS(event.outcome()));
    item.put("amount", AttributeValue.fromN(Long.toString(event.amount())));
    item.put("currency", AttributeValue.fromS(event.currency()));
    item.put("result", AttributeValue.fromS(result.name()));
    if (flag != null) {
      item.put(FLAG, AttributeValue.fromS(flag));
    }
    item.put("receivedAt", AttributeValue.fromS(now.toString()));
    item.put(
        RetentionRegistry.EXPIRES_AT, retention.expiresAtAttribute(DataClass.TRANSACTION, now));
    return store.put(item);
  }

  /**
   * The change to the transaction record, as an optimistic update (the version read, and not once
   * an erasure restricted it).
   */
  TransactWriteItem orderChange(
      OrderStore.Stored order, Event event, Result result, String flag, Instant now) {
    String orderId = event.orderId();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":expected", AttributeValue.fromN(Long.toString(order.version())));
    values.put(":nextVersion", AttributeValue.fromN(Long.toString(order.version() + 1)));
    StringBuilder set = new StringBuilder("SET version = :nextVersion");
    switch (result) {
      case PAID -> {
        names.put("#status", "status");
        values.put(":paid", AttributeValue.fromS(OrderStatus.PAID.name()));
        values.put(
            ":entry",
            AttributeValue.fromL(List.of(OrderStore.historyEntry(OrderStatus.PAID, now, BY))));
        values.put(
            ":reference",
            keyring.seal(
                order.subjectId(),
                OrderStore.address(orderId, OrderStore.TRANSACTION, PROVIDER_REFERENCE),
                event.providerReference()));
        set.append(", #status = :paid, history = list_append(history, :entry)")
            .append(", " + PROVIDER_REFERENCE + " = :reference");
        if (event.cardLast4() != null) {
          values.put(":last4", AttributeValue.fromS(event.cardLast4()));
          set.append(", cardLast4 = :last4");
        }
      }
      case FLAGGED -> {
        values.put(":flag", AttributeValue.fromS(flag));
        values.put(":at", AttributeValue.fromS(now.toString()));
        set.append(", " + FLAG + " = :flag, paymentFlaggedAt = :at");
      }
      case RECORDED -> {
        Map<String, AttributeValue> entry =
            new HashMap<>(OrderStore.historyEntry(order.status(), now, BY).m());
        entry.put("event", AttributeValue.fromS("PAYMENT_FAILED"));
        values.put(":entry", AttributeValue.fromL(List.of(AttributeValue.fromM(entry))));
        set.append(", history = list_append(history, :entry)");
      }
    }
    return TransactWriteItem.builder()
        .update(
            u -> {
              u.tableName(store.table())
                  .key(
                      Map.of(
                          "pk", AttributeValue.fromS(OrderStore.partitionKey(orderId)),
                          "sk", AttributeValue.fromS(OrderStore.TRANSACTION)))
                  .conditionExpression("version = :expected AND attribute_not_exists(restricted)")
                  .updateExpression(set.toString())
                  .expressionAttributeValues(values);
              if (!names.isEmpty()) {
                u.expressionAttributeNames(names);
              }
            })
        .build();
  }
}
