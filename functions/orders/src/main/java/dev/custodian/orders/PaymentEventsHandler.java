package dev.custodian.orders;

import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.validation.JsonBody;

/**
 * {@code POST /payments/events}: the payment provider's webhook. The signature is checked over the
 * raw body before anything else is read, so an unsigned caller learns nothing, not even the schema.
 */
public final class PaymentEventsHandler extends ApiHandler {

  private final PaymentService payments;

  public PaymentEventsHandler() {
    this(OrdersWiring.fromEnvironment().payments());
    // refused at the signature: no secret is opened before the snapshot
    prime("POST /payments/events", "/payments/events", "{}");
  }

  PaymentEventsHandler(PaymentService payments) {
    this.payments = payments;
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    payments.signature().verify(request.header(WebhookSignature.HEADER), request.bodyBytes());
    var body = JsonBody.read(request, OrderSchemas.PAYMENT_EVENT);
    return HttpResponse.ok(payments.receive(body, request.requestId()));
  }
}
