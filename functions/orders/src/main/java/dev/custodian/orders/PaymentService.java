package dev.custodian.orders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.Disclosure;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.log.Log;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.orders.OrderStatus;
import dev.custodian.core.processors.Processor;
import dev.custodian.core.retention.DataClass;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The payment provider's events (a processor, docs/privacy.md#processors): a success that matches
 * the order pays it, anything else changes no status. Each event takes effect once, whatever the
 * provider retries or sends twice at once, and is audited as a disclosure from the processor.
 */
final class PaymentService {

  private static final int ATTEMPTS = 4;

  /** A payment for an order whose customer was erased: recorded, flagged, the record untouched. */
  static final String PAID_WHILE_RESTRICTED = "PAID_WHILE_RESTRICTED";

  private final PrivacyCore core;
  private final OrderStore store;
  private final PaymentLedger ledger;
  private final WebhookSignature signature;

  PaymentService(PrivacyCore core, OrderStore store, WebhookSignature signature) {
    this.core = core;
    this.store = store;
    this.ledger = new PaymentLedger(store, core.keyring(), core.retention());
    this.signature = signature;
  }

  WebhookSignature signature() {
    return signature;
  }

  /** What the provider is answered: the same for a replay of the event. */
  record Answer(String eventId, String orderId, String result) {}

  Answer receive(JsonNode body, String requestId) {
    PaymentLedger.Event event = bind(body);
    if (!OrderAccess.ORDER_ID.matcher(event.orderId()).matches()) {
      throw ApiException.notFound();
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
      OrderItems.Held held = store.read(event.orderId(), now).orElseThrow(ApiException::notFound);
      OrderItems.Transaction order = held.transaction();
      Optional<PaymentLedger.Result> earlier = PaymentLedger.earlier(held, event.eventId());
      if (earlier.isPresent()) {
        Log.info("payment event replayed", "orderId", event.orderId(), "eventId", event.eventId());
        return new Answer(event.eventId(), event.orderId(), earlier.get().name());
      }
      // A payment for an order whose customer was erased is money to refund or account for: its
      // event is recorded and flagged (it names no one), the restricted record is left as it is.
      String flag = order.restricted() ? PAID_WHILE_RESTRICTED : flag(order, event);
      PaymentLedger.Result result = resultOf(event, flag);
      TransactWriteItem change = null;
      if (!order.restricted()) {
        try {
          change = ledger.orderChange(order, event, result, flag, now);
        } catch (SubjectErasedException erasedMeanwhile) {
          // The customer's key is gone but the erasure has not restricted this record yet: the
          // same answer as for a restricted one, rather than a 500 the provider retries forever.
          flag = PAID_WHILE_RESTRICTED;
          result = resultOf(event, flag);
        }
      }
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(ledger.eventRecord(event, result, flag, now));
      if (change != null) {
        writes.add(change);
      }
      writes.add(
          core.audit()
              .asTransactPut(
                  new Disclosure(
                      Actor.processor(Processor.PAYMENT.auditName()),
                      Processor.PAYMENT.auditName(),
                      Purpose.ORDER_FULFILMENT,
                      DataClass.TRANSACTION.legalBasis(),
                      List.of(DataClass.TRANSACTION),
                      event.orderId(),
                      List.of(event.orderId()),
                      order.subjectId(),
                      null,
                      requestId,
                      result == PaymentLedger.Result.FLAGGED ? Outcome.FAILED : Outcome.SUCCESS)));
      try {
        core.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
      } catch (TransactionCanceledException e) {
        // The same event at the same time, or the order changed since it was read: read again.
        if (Cancellations.any(e, Cancellations.CONDITION_FAILED)
            || Cancellations.any(e, Cancellations.CONFLICT)) {
          continue;
        }
        throw e;
      }
      if (flag != null) {
        Log.warn(
            "payment flagged for an operator",
            "orderId",
            event.orderId(),
            "eventId",
            event.eventId(),
            "flag",
            flag);
      } else {
        Log.info(
            "payment event recorded",
            "orderId",
            event.orderId(),
            "eventId",
            event.eventId(),
            "result",
            result.name());
      }
      return new Answer(event.eventId(), event.orderId(), result.name());
    }
    throw new ApiException(ErrorCode.CONFLICT, "The order is busy; send the event again.");
  }

  /** Why a success cannot pay the order as it stands; null when it can (or for a failure). */
  private static PaymentLedger.Result resultOf(PaymentLedger.Event event, String flag) {
    if (!event.succeeded()) {
      return PaymentLedger.Result.RECORDED;
    }
    return flag == null ? PaymentLedger.Result.PAID : PaymentLedger.Result.FLAGGED;
  }

  private static String flag(OrderItems.Transaction order, PaymentLedger.Event event) {
    if (!event.succeeded()) {
      return null;
    }
    if (order.status() != OrderStatus.RECEIVED) {
      return "PAID_WHILE_" + order.status().name();
    }
    if (!event.currency().equals(order.currency())) {
      return "CURRENCY_MISMATCH";
    }
    if (event.amount() != order.total()) {
      return "AMOUNT_MISMATCH";
    }
    return null;
  }

  private static PaymentLedger.Event bind(JsonNode body) {
    JsonNode last4 = body.get("cardLast4");
    return new PaymentLedger.Event(
        body.get("eventId").asText(),
        body.get("orderId").asText(),
        body.get("amount").asLong(),
        body.get("currency").asText(),
        body.get("outcome").asText(),
        body.get("providerReference").asText(),
        last4 == null || last4.isNull() ? null : last4.asText());
  }
}
