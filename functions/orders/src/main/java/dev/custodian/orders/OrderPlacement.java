package dev.custodian.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import dev.custodian.core.idempotency.IdempotencyStore;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import dev.custodian.core.log.Metrics;
import dev.custodian.core.orders.OrderStatus;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.subjects.SubjectDirectory;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Placing an order, idempotently: the order, its contact data, the audit record, the idempotency
 * record and the check that the email still belongs to its subject go in one transaction.
 */
final class OrderPlacement {

  static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{8,64}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SCOPE = "orders";
  private static final int ATTEMPTS = 3;

  private final PrivacyCore core;
  private final OrderStore store;
  private final Pricing pricing;
  private final OrderAccess access;

  OrderPlacement(PrivacyCore core, OrderStore store, Pricing pricing, OrderAccess access) {
    this.core = core;
    this.store = store;
    this.pricing = pricing;
    this.access = access;
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
        access.tokenFor(reference.orderId()),
        reference.total(),
        reference.currency(),
        reference.createdAt());
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
