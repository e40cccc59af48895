package dev.custodian.orders;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.retention.DataClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may read an order: the holder of its order token (a guest), or an account that speaks for its
 * subject. Whatever is wrong — no token, a wrong one, another order's, an unknown id — the answer
 * is the same 404, and a refusal of an existing order is audited.
 */
final class OrderAccess {

  static final Pattern ORDER_ID = Pattern.compile("o_[0-9a-f]{32}");
  private static final String TOKEN_DOMAIN = "order-token";

  private final PrivacyCore core;
  private final OrderStore store;
  private final OrderViews views;

  OrderAccess(PrivacyCore core, OrderStore store, OrderViews views) {
    this.core = core;
    this.store = store;
    this.views = views;
  }

  /**
   * The order token: a keyed hash of the order id (256 bits). It is never stored; it is derived
   * again to check it, so a replayed placement answers the same token.
   */
  String tokenFor(String orderId) {
    return core.index().of(TOKEN_DOMAIN, orderId);
  }

  /** A guest's view of their order, authorised by the order token. */
  Map<String, Object> readWithToken(String orderId, Optional<String> token, String requestId) {
    if (!ORDER_ID.matcher(orderId).matches() || token.isEmpty()) {
      throw ApiException.notFound();
    }
    OrderItems.Held order =
        store.read(orderId, core.clock().instant()).orElseThrow(ApiException::notFound);
    boolean holder =
        MessageDigest.isEqual(
            tokenFor(orderId).getBytes(StandardCharsets.US_ASCII),
            token.get().getBytes(StandardCharsets.US_ASCII));
    return readAs(Actor.customer(orderId), holder, order, requestId);
  }

  /** An account's view of one of its orders. */
  Map<String, Object> readForAccount(String orderId, Map<String, String> claims, String requestId) {
    String sub = claims.get("sub");
    if (!ORDER_ID.matcher(orderId).matches() || sub == null) {
      throw ApiException.notFound();
    }
    OrderItems.Held order =
        store.read(orderId, core.clock().instant()).orElseThrow(ApiException::notFound);
    boolean owner = accountSubjects(sub, claims).contains(order.transaction().subjectId());
    return readAs(Actor.account(sub), owner, order, requestId);
  }

  private Map<String, Object> readAs(
      Actor actor, boolean allowed, OrderItems.Held order, String requestId) {
    if (!allowed) {
      views.audit(actor, Action.READ, DataClass.ORDER_CONTACT, order, Outcome.DENIED, requestId);
      throw ApiException.notFound();
    }
    return views.customerView(order, actor, requestId);
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
}
