package dev.custodian.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.HttpEdge;
import dev.custodian.core.http.HttpResponse;

/**
 * {@code GET /orders/{orderId}} with the order token (guests), and {@code GET /me/orders/{orderId}}
 * with an account token. Whatever is wrong — no token, a wrong one, another order's, an unknown id
 * — the answer is the same 404.
 */
public final class ReadOrderHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final OrderAccess access;

  public ReadOrderHandler() {
    this(OrdersWiring.fromEnvironment().access());
    OrdersWiring.prime(this, "GET /orders/{orderId}", "/orders/o_priming", null);
  }

  ReadOrderHandler(OrderAccess access) {
    this.access = access;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.serve(
        event,
        context,
        request -> {
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
        });
  }
}
