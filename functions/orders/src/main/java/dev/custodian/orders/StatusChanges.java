package dev.custodian.orders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.log.Log;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.orders.OrderStatus;
import dev.custodian.core.retention.DataClass;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * An operator moves an order on, along {@link OrderStatus}'s transitions; the history keeps who and
 * when, and any note sealed under the subject's key. (Payments move orders in {@link
 * PaymentService}.)
 */
final class StatusChanges {

  private final PrivacyCore core;
  private final OrderStore store;

  StatusChanges(PrivacyCore core, OrderStore store) {
    this.core = core;
    this.store = store;
  }

  Map<String, Object> changeStatus(
      String orderId, JsonNode body, String operator, String requestId) {
    OrderStatus next = OrderStatus.valueOf(body.get("status").asText());
    if (!OrderAccess.ORDER_ID.matcher(orderId).matches()) {
      throw ApiException.notFound();
    }
    Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    OrderItems.Transaction order =
        store.read(orderId, now).orElseThrow(ApiException::notFound).transaction();
    if (order.restricted()) {
      throw ApiException.notFound();
    }
    if (!order.status().canMoveTo(next)) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "An order that is " + order.status() + " cannot become " + next + ".");
    }
    JsonNode note = body.get("note");
    List<TransactWriteItem> writes =
        List.of(
            store.statusChange(
                order, next, now, operator, note == null || note.isNull() ? null : note.asText()),
            core.audit()
                .asTransactPut(
                    new AuditRecord(
                        Actor.operator(operator),
                        Action.UPDATE,
                        DataClass.TRANSACTION,
                        orderId,
                        order.subjectId(),
                        Purpose.ORDER_FULFILMENT,
                        Outcome.SUCCESS,
                        requestId)));
    try {
      core.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
    } catch (TransactionCanceledException e) {
      if (Cancellations.any(e, Cancellations.CONDITION_FAILED)) {
        throw new ApiException(
            ErrorCode.CONFLICT, "The order changed meanwhile; read it again and retry.");
      }
      throw e;
    }
    Log.info("order status changed", "orderId", orderId, "status", next.name());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("orderId", orderId);
    out.put("status", next.name());
    out.put("updatedAt", now.toString());
    return out;
  }
}
