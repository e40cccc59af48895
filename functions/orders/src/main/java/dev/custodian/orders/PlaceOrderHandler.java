package dev.custodian.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.http.HttpEdge;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.validation.JsonBody;

/** {@code POST /orders}: place an order, idempotently (header {@code Idempotency-Key}). */
public final class PlaceOrderHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final OrderPlacement placement;

  public PlaceOrderHandler() {
    this(OrdersWiring.fromEnvironment().placement());
    OrdersWiring.prime(this, "POST /orders", "/orders", "{}");
  }

  PlaceOrderHandler(OrderPlacement placement) {
    this.placement = placement;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.serve(
        event,
        context,
        request -> {
          var body = JsonBody.read(request, OrderSchemas.NEW_ORDER);
          OrderPlacement.Placed placed =
              placement.place(
                  request.header("idempotency-key").orElse(null), body, request.requestId());
          return HttpResponse.json(201, placed);
        });
  }
}
