package dev.custodian.orders;

import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;

/**
 * {@code GET /orders/{orderId}} with the order token (guests), and {@code GET /me/orders/{orderId}}
 * with an account token. Whatever is wrong — no token, a wrong one, another order's, an unknown id
 * — the answer is the same 404.
 */
public final class ReadOrderHandler extends ApiHandler {

  private final OrderAccess access;

  public ReadOrderHandler() {
    this(OrdersWiring.fromEnvironment().access());
    prime("GET /orders/{orderId}", "/orders/o_priming", null);
  }

  ReadOrderHandler(OrderAccess access) {
    this.access = access;
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    String orderId = request.pathParameter("orderId").orElseThrow(ApiException::notFound);
    if (request.routeKey().equals("GET /me/orders/{orderId}")) {
      return HttpResponse.ok(
          access.readForAccount(
              orderId,
              request.jwtClaims().orElseThrow(ApiException::notFound),
              request.requestId()));
    }
    return HttpResponse.ok(
        access.readWithToken(orderId, request.bearerToken(), request.requestId()));
  }
}
