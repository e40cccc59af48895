package dev.custodian.orders;

import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.validation.JsonBody;

/** {@code POST /orders}: place an order, idempotently (header {@code Idempotency-Key}). */
public final class PlaceOrderHandler extends ApiHandler {

  private final OrderPlacement placement;

  public PlaceOrderHandler() {
    this(OrdersWiring.fromEnvironment().placement());
    prime("POST /orders", "/orders", "{}");
  }

  PlaceOrderHandler(OrderPlacement placement) {
    this.placement = placement;
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    var body = JsonBody.read(request, OrderSchemas.NEW_ORDER);
    OrderPlacement.Placed placed =
        placement.place(request.header("idempotency-key").orElse(null), body, request.requestId());
    return HttpResponse.json(201, placed);
  }
}
