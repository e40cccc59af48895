package dev.custodian.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.HttpEdge;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.validation.JsonBody;

/**
 * Operator routes (IAM auth): {@code PATCH /admin/orders/{orderId}/status} and {@code GET
 * /admin/orders/{orderId}/fulfilment}. The operator is the signed IAM principal.
 */
public final class OrderAdminHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final StatusChanges changes;
  private final OrderViews views;

  public OrderAdminHandler() {
    this(OrdersWiring.fromEnvironment());
    OrdersWiring.prime(
        this, "PATCH /admin/orders/{orderId}/status", "/admin/orders/o_priming/status", "{}");
  }

  private OrderAdminHandler(OrdersWiring wiring) {
    this(wiring.statusChanges(), wiring.views());
  }

  OrderAdminHandler(StatusChanges changes, OrderViews views) {
    this.changes = changes;
    this.views = views;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.serve(
        event,
        context,
        request -> {
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
        });
  }
}
