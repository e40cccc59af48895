package dev.custodian.orders;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.Disclosure;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.log.Log;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.processors.Processor;
import dev.custodian.core.retention.DataClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each reader of an order sees: the customer their whole order, the logistics processor who
 * and where to deliver, and what (processors: docs/privacy.md). Every view of personal data is
 * audited.
 */
final class OrderViews {

  private final PrivacyCore core;
  private final OrderStore store;

  OrderViews(PrivacyCore core, OrderStore store) {
    this.core = core;
    this.store = store;
  }

  /** The customer's view, for a reader {@link OrderAccess} let through. */
  Map<String, Object> customerView(OrderItems.Held order, Actor actor, String requestId) {
    OrderItems.Transaction t = order.transaction();
    if (t.restricted() || erased(t.subjectId())) {
      // Restricted after an erasure, or restored from a backup after one: never served.
      throw ApiException.notFound();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("orderId", order.orderId());
    out.put("status", t.status().name());
    out.put("createdAt", t.createdAt());
    out.put("items", lines(t));
    out.put("total", t.total());
    out.put("currency", t.currency());
    Map<String, Object> payment = new LinkedHashMap<>();
    payment.put("provider", t.paymentProvider());
    if (t.cardLast4() != null) {
      payment.put("cardLast4", t.cardLast4());
    }
    out.put("payment", payment);
    out.put("policyVersion", t.policyVersion());
    List<Map<String, Object>> history = new ArrayList<>();
    for (OrderItems.Step entry : t.history()) {
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("status", entry.status().name());
      step.put("at", entry.at());
      if (entry.event() != null) {
        step.put("event", entry.event());
      }
      history.add(step);
    }
    out.put("history", history);
    Optional<OrderStore.OpenedContact> contact = openContact(order);
    contact.ifPresent(
        c -> {
          Map<String, Object> customer = new LinkedHashMap<>();
          customer.put("email", c.customer().email());
          customer.put("name", c.customer().name());
          if (c.customer().phone() != null) {
            customer.put("phone", c.customer().phone());
          }
          out.put("customer", customer);
          out.put("shippingAddress", c.shippingAddress());
        });
    audit(
        actor,
        Action.READ,
        contact.isPresent() ? DataClass.ORDER_CONTACT : DataClass.TRANSACTION,
        order,
        Outcome.SUCCESS,
        requestId);
    return out;
  }

  private static List<Map<String, Object>> lines(OrderItems.Transaction transaction) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (OrderItems.Line item : transaction.lines()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("sku", item.sku());
      line.put("quantity", item.quantity());
      if (item.unitPrice() != null) {
        line.put("unitPrice", item.unitPrice());
      }
      items.add(line);
    }
    return items;
  }

  /** The logistics processor's view: who and where to deliver, and what; nothing else. */
  Map<String, Object> fulfilment(String orderId, String operator, String requestId) {
    if (!OrderAccess.ORDER_ID.matcher(orderId).matches()) {
      throw ApiException.notFound();
    }
    OrderItems.Held order =
        store.read(orderId, core.clock().instant()).orElseThrow(ApiException::notFound);
    if (order.transaction().restricted()) {
      throw ApiException.notFound();
    }
    OrderStore.OpenedContact contact = openContact(order).orElseThrow(ApiException::notFound);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("orderId", orderId);
    out.put("status", order.transaction().status().name());
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("name", contact.shippingAddress().name());
    if (contact.customer().phone() != null) {
      recipient.put("phone", contact.customer().phone());
    }
    out.put("recipient", recipient);
    Order.Address a = contact.shippingAddress();
    Map<String, Object> address = new LinkedHashMap<>();
    address.put("line1", a.line1());
    if (a.line2() != null) {
      address.put("line2", a.line2());
    }
    address.put("city", a.city());
    if (a.region() != null) {
      address.put("region", a.region());
    }
    address.put("postalCode", a.postalCode());
    address.put("country", a.country());
    out.put("shippingAddress", address);
    List<Map<String, Object>> items = new ArrayList<>();
    for (OrderItems.Line item : order.transaction().lines()) {
      items.add(Map.of("sku", item.sku(), "quantity", item.quantity()));
    }
    out.put("items", items);
    // A disclosure to the carrier (docs/privacy.md): the person's export lists it with the order.
    String disclosed = order.transaction().orderId();
    core.audit()
        .record(
            new Disclosure(
                Actor.operator(operator),
                Processor.LOGISTICS.auditName(),
                Purpose.ORDER_FULFILMENT,
                DataClass.ORDER_CONTACT.legalBasis(),
                List.of(DataClass.ORDER_CONTACT),
                disclosed,
                List.of(disclosed),
                order.transaction().subjectId(),
                null,
                requestId,
                Outcome.SUCCESS));
    return out;
  }

  private boolean erased(String subjectId) {
    try {
      core.keyring().keyOf(subjectId);
      return false;
    } catch (SubjectErasedException e) {
      return true;
    }
  }

  private Optional<OrderStore.OpenedContact> openContact(OrderItems.Held order) {
    if (order.contact() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(store.openContact(order.contact()));
    } catch (SubjectErasedException | FieldSealer.SealBrokenException gone) {
      Log.warn(
          "order contact data cannot be opened",
          "orderId",
          order.orderId(),
          "reason",
          gone.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  void audit(
      Actor actor,
      Action action,
      DataClass dataClass,
      OrderItems.Held order,
      Outcome outcome,
      String requestId) {
    core.audit()
        .record(
            new AuditRecord(
                actor,
                action,
                dataClass,
                order.transaction().orderId(),
                order.transaction().subjectId(),
                Purpose.ORDER_FULFILMENT,
                outcome,
                requestId));
  }
}
