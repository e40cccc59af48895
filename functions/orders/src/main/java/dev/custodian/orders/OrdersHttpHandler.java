package dev.custodian.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.http.HttpEdge;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.snapstart.Priming;

/**
 * What the HTTP handlers of the order and catalogue functions share: the edge ({@link HttpEdge}:
 * the request's log context, errors mapped in one place) and the SnapStart priming of the request
 * path. Each handler is the routes it answers, with a no-argument constructor that builds its
 * collaborators through {@link OrdersWiring} and one that takes them.
 */
public abstract class OrdersHttpHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Override
  public final APIGatewayV2HTTPResponse handleRequest(
      APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.serve(event, context, this::serve);
  }

  /** Answers a request, or throws {@link dev.custodian.core.http.ApiException}. */
  protected abstract HttpResponse serve(HttpRequest request);

  /**
   * SnapStart: the request path once before the snapshot, with a request the handler refuses before
   * any write (and before any secret is opened).
   */
  protected final void prime(String routeKey, String path, String body) {
    Priming.register("handler", () -> handleRequest(Priming.httpEvent(routeKey, path, body), null));
  }
}
