package dev.custodian.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.http.HttpEdge;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.validation.JsonBody;

/**
 * {@code POST /payments/events}: the payment provider's webhook. The signature is checked over the
 * raw body before anything else is read, so an unsigned caller learns nothing, not even the schema.
 */
public final class PaymentEventsHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final PaymentService payments;

  public PaymentEventsHandler() {
    this(OrdersWiring.fromEnvironment().payments());
    // refused at the signature: no secret is opened before the snapshot
    OrdersWiring.prime(this, "POST /payments/events", "/payments/events", "{}");
  }

  PaymentEventsHandler(PaymentService payments) {
    this.payments = payments;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.serve(
        event,
        context,
        request -> {
          payments.signature().verify(request.header(WebhookSignature.HEADER), request.bodyBytes());
          var body = JsonBody.read(request, OrderSchemas.PAYMENT_EVENT);
          return HttpResponse.ok(payments.receive(body, request.requestId()));
        });
  }
}
