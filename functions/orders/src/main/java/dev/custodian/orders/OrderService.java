package dev.custodian.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.Disclosure;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.idempotency.IdempotencyStore;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import dev.custodian.core.log.Metrics;
import dev.custodian.core.processors.Processor;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.subjects.SubjectDirectory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Placing, reading and advancing orders; every access to personal data is audited. */
final class OrderService {

  static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{8,64}");
  static final Pattern ORDER_ID = Pattern.compile("o_[0-9a-f]{32}");
  private static final String TOKEN_DOMAIN = "order-token";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SCOPE = "orders";
  private static final int ATTEMPTS = 3;

  private final PrivacyCore core;
  private final OrderStore store;
  private final Pricing pricing;

  OrderService(PrivacyCore core, OrderStore store, Pricing pricing) {
    this.core = core;
    this.store = store;
    this.pricing = pricing;
  }

  /** What placing an order answers (also on a replay). */
  record Placed(
      String orderId,
      String status,
      String orderToken,
      long total,
      String currency,
      String createdAt) {}

  /** The outcome reference kept by the idempotency store: no personal data, no token. */
  record Reference(String orderId, long total, String currency, String createdAt) {}

  Placed place(String idempotencyKey, JsonNode body, String requestId) {
    if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "The request is not valid.",
          List.of(
              new ApiException.FieldProblem(
                  "Idempotency-Key", "is required: 8 to 64 of A-Z, a-z, 0-9, _ and -")));
    }
    Order.NewOrder order = toOrder(body);
    // Priced once, before the attempts: a retry must not pick up a price changed meanwhile.
    Order.Priced priced = pricing.price(order);
    long total = priced.total();
    String payloadHash = IdempotencyStore.payloadHash(body);
    String email = order.customer().email();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      // One round trip for a returning customer: the order, its contact data, the audit record,
      // the idempotency record and the check that the email still belongs to the subject.
      // The key must live as long as the records sealed under it: the transaction record longest.
      SubjectDirectory.Resolved subject =
          core.directory().resolveEmail(email, DataClass.TRANSACTION, DataClass.ORDER_CONTACT);
      String orderId = "o_" + HexFormat.of().formatHex(randomBytes(16));
      Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
      Reference reference = new Reference(orderId, total, order.currency(), now.toString());
      List<TransactWriteItem> writes =
          new ArrayList<>(store.placement(orderId, subject.subjectId(), order, priced, now));
      writes.add(
          core.audit()
              .asTransactPut(
                  new AuditRecord(
                      Actor.customer(orderId),
                      Action.CREATE,
                      DataClass.ORDER_CONTACT,
                      orderId,
                      subject.subjectId(),
                      Purpose.ORDER_FULFILMENT,
                      Outcome.SUCCESS,
                      requestId)));
      int claimAt = writes.size();
      writes.add(
          core.idempotency().claim(SCOPE, idempotencyKey, payloadHash, Json.write(reference)));
      int subjectAt = writes.size();
      writes.add(subject.stillCurrent());
      try {
        core.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
        Log.info("order placed", "orderId", orderId, "items", order.items().size());
        Metrics.count("OrdersPlaced", 1, Map.of());
        return placed(reference);
      } catch (TransactionCanceledException e) {
        Optional<IdempotencyStore.Start> refused =
            core.idempotency().claimRefused(e, claimAt, SCOPE, idempotencyKey, payloadHash);
        if (refused.isPresent()) {
          if (refused.get() instanceof IdempotencyStore.Replay replay) {
            Reference earlier = read(replay.reference(), Reference.class);
            Log.info("order replayed", "orderId", earlier.orderId());
            return placed(earlier);
          }
          throw IdempotencyStore.refusal(refused.get());
        }
        if (Cancellations.conditionFailedAt(e, subjectAt)) {
          // The email's subject changed (erased, or its lookup expired): look it up afresh.
          core.directory().forgetEmail(email);
        } else if (!Cancellations.any(e, Cancellations.CONFLICT)) {
          throw e;
        }
      }
    }
    throw IdempotencyStore.refusal(new IdempotencyStore.InProgress());
  }

  private Placed placed(Reference reference) {
    return new Placed(
        reference.orderId(),
        OrderStatus.RECEIVED.name(),
        tokenFor(reference.orderId()),
        reference.total(),
        reference.currency(),
        reference.createdAt());
  }

  /**
   * The order token: a keyed hash of the order id (256 bits). It is never stored; it is derived
   * again to check it, so a replayed placement answers the same token.
   */
  private String tokenFor(String orderId) {
    return core.index().of(TOKEN_DOMAIN, orderId);
  }

  /** A guest's view of their order, authorised by the order token. */
  Map<String, Object> readWithToken(String orderId, Optional<String> token, String requestId) {
    if (!ORDER_ID.matcher(orderId).matches() || token.isEmpty()) {
      throw ApiException.notFound();
    }
    Instant now = core.clock().instant();
    OrderStore.Stored order = store.read(orderId, now).orElseThrow(ApiException::notFound);
    boolean holder =
        MessageDigest.isEqual(
            tokenFor(orderId).getBytes(StandardCharsets.US_ASCII),
            token.get().getBytes(StandardCharsets.US_ASCII));
    if (!holder) {
      audit(
          Actor.customer(orderId),
          Action.READ,
          DataClass.ORDER_CONTACT,
          order,
          Outcome.DENIED,
          requestId);
      throw ApiException.notFound();
    }
    return view(orderId, order, Actor.customer(orderId), requestId);
  }

  /** An account's view of one of its orders. */
  Map<String, Object> readForAccount(String orderId, Map<String, String> claims, String requestId) {
    String sub = claims.get("sub");
    if (!ORDER_ID.matcher(orderId).matches() || sub == null) {
      throw ApiException.notFound();
    }
    OrderStore.Stored order =
        store.read(orderId, core.clock().instant()).orElseThrow(ApiException::notFound);
    if (!accountSubjects(sub, claims).contains(order.subjectId())) {
      audit(
          Actor.account(sub),
          Action.READ,
          DataClass.ORDER_CONTACT,
          order,
          Outcome.DENIED,
          requestId);
      throw ApiException.notFound();
    }
    return view(orderId, order, Actor.account(sub), requestId);
  }

  /**
   * The subjects an account speaks for: its own, and the subject of its email when the identity
   * provider has verified that the account holds that mailbox.
   */
  private List<String> accountSubjects(String sub, Map<String, String> claims) {
    List<String> subjects = new ArrayList<>();
    core.directory().findByAccount(sub).ifPresent(subjects::add);
    String email = claims.get("email");
    if (email != null && "true".equalsIgnoreCase(claims.get("email_verified"))) {
      core.directory().findByEmail(email).ifPresent(subjects::add);
    }
    return subjects;
  }

  private Map<String, Object> view(
      String orderId, OrderStore.Stored order, Actor actor, String requestId) {
    if (order.restricted() || erased(order.subjectId())) {
      // Restricted after an erasure, or restored from a backup after one: never served.
      throw ApiException.notFound();
    }
    Map<String, AttributeValue> t = order.transaction();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("orderId", orderId);
    out.put("status", order.status().name());
    out.put("createdAt", t.get("createdAt").s());
    out.put("items", items(t));
    out.put("total", Long.parseLong(t.get("total").n()));
    out.put("currency", t.get("currency").s());
    Map<String, Object> payment = new LinkedHashMap<>();
    payment.put("provider", t.get("paymentProvider").s());
    if (t.containsKey("cardLast4")) {
      payment.put("cardLast4", t.get("cardLast4").s());
    }
    out.put("payment", payment);
    out.put("policyVersion", t.get("policyVersion").s());
    List<Map<String, Object>> history = new ArrayList<>();
    for (AttributeValue entry : t.get("history").l()) {
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("status", entry.m().get("status").s());
      step.put("at", entry.m().get("at").s());
      if (entry.m().containsKey("event")) {
        step.put("event", entry.m().get("event").s());
      }
      history.add(step);
    }
    out.put("history", history);
    Optional<OrderStore.OpenedContact> contact = openContact(orderId, order);
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

  private boolean erased(String subjectId) {
    try {
      core.keyring().keyOf(subjectId);
      return false;
    } catch (SubjectErasedException e) {
      return true;
    }
  }

  private Optional<OrderStore.OpenedContact> openContact(String orderId, OrderStore.Stored order) {
    if (order.contact() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(store.openContact(orderId, order.contact()));
    } catch (SubjectErasedException | FieldSealer.SealBrokenException gone) {
      Log.warn(
          "order contact data cannot be opened",
          "orderId",
          orderId,
          "reason",
          gone.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  private static List<Map<String, Object>> items(Map<String, AttributeValue> transaction) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (AttributeValue item : transaction.get("items").l()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("sku", item.m().get("sku").s());
      line.put("quantity", Integer.parseInt(item.m().get("quantity").n()));
      if (item.m().containsKey("unitPrice")) {
        line.put("unitPrice", Long.parseLong(item.m().get("unitPrice").n()));
      }
      items.add(line);
    }
    return items;
  }

  /** An operator moves an order on; the history keeps who and when. */
  Map<String, Object> changeStatus(
      String orderId, JsonNode body, String operator, String requestId) {
    OrderStatus next = OrderStatus.valueOf(body.get("status").asText());
    if (!ORDER_ID.matcher(orderId).matches()) {
      throw ApiException.notFound();
    }
    Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    OrderStore.Stored order = store.read(orderId, now).orElseThrow(ApiException::notFound);
    if (order.restricted()) {
      throw ApiException.notFound();
    }
    if (!order.status().canMoveTo(next)) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "An order that is " + order.status() + " cannot become " + next + ".");
    }
    JsonNode note = body.get("note");
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        store.statusChange(
            orderId,
            order.version(),
            next,
            now,
            operator,
            note == null || note.isNull()
                ? null
                : core.keyring()
                    .seal(
                        order.subjectId(),
                        new FieldAddress(
                            OrderStore.LOGICAL_TABLE,
                            OrderStore.partitionKey(orderId) + "/" + OrderStore.TRANSACTION,
                            "note#" + (order.version() + 1)),
                        note.asText())));
    writes.add(
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

  /** The logistics processor's view: who and where to deliver, and what; nothing else (P8). */
  Map<String, Object> fulfilment(String orderId, String operator, String requestId) {
    if (!ORDER_ID.matcher(orderId).matches()) {
      throw ApiException.notFound();
    }
    OrderStore.Stored order =
        store.read(orderId, core.clock().instant()).orElseThrow(ApiException::notFound);
    if (order.restricted()) {
      throw ApiException.notFound();
    }
    OrderStore.OpenedContact contact =
        openContact(orderId, order).orElseThrow(ApiException::notFound);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("orderId", orderId);
    out.put("status", order.status().name());
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
    for (AttributeValue item : order.transaction().get("items").l()) {
      items.add(
          Map.of(
              "sku", item.m().get("sku").s(),
              "quantity", Integer.parseInt(item.m().get("quantity").n())));
    }
    out.put("items", items);
    // A disclosure to the carrier (DESIGN P8): the person's export lists it with the order.
    String disclosed = order.transaction().get("orderId").s();
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
                order.subjectId(),
                null,
                requestId,
                Outcome.SUCCESS));
    return out;
  }

  private void audit(
      Actor actor,
      Action action,
      DataClass dataClass,
      OrderStore.Stored order,
      Outcome outcome,
      String requestId) {
    core.audit()
        .record(
            new AuditRecord(
                actor,
                action,
                dataClass,
                order.transaction().get("orderId").s(),
                order.subjectId(),
                Purpose.ORDER_FULFILMENT,
                outcome,
                requestId));
  }

  private static Order.NewOrder toOrder(JsonNode body) {
    try {
      return Json.MAPPER.treeToValue(body, Order.NewOrder.class);
    } catch (JsonProcessingException e) {
      // The schema already accepted the body; a mismatch here is a bug, not the client's fault.
      throw new IllegalStateException("validated order does not bind", e);
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable idempotency reference", e);
    }
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
