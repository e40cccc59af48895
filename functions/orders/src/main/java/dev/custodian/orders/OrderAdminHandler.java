package dev.custodian.orders;

import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.validation.JsonBody;

/**
 * Operator routes (IAM auth): {@code PATCH /admin/orders/{orderId}/status} and {@code GET
 * /admin/orders/{orderId}/fulfilment}. The operator is the signed IAM principal.
 */
public final class OrderAdminHandler extends ApiHandler {

  private final StatusChanges changes;
  private final OrderViews views;

  public OrderAdminHandler() {
    this(OrdersWiring.fromEnvironment());
    prime("PATCH /admin/orders/{orderId}/status", "/admin/orders/o_priming/status", "{}");
  }

  private OrderAdminHandler(OrdersWiring wiring) {
    this(wiring.statusChanges(), wiring.views());
  }

  OrderAdminHandler(StatusChanges changes, OrderViews views) {
    this.changes = changes;
    this.views = views;
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    String operator = request.operator();
    String orderId = request.pathParameter("orderId").orElseThrow(ApiException::notFound);
    return switch (request.routeKey()) {
      case "PATCH /admin/orders/{orderId}/status" ->
          HttpResponse.ok(
              changes.changeStatus(
                  orderId,
                  JsonBody.read(request, OrderSchemas.STATUS_CHANGE),
                  operator,
                  request.requestId()));
      case "GET /admin/orders/{orderId}/fulfilment" ->
          HttpResponse.ok(views.fulfilment(orderId, operator, request.requestId()));
      default -> throw ApiException.notFound();
    };
  }
}
