package dev.custodian.core.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.snapstart.Priming;

/**
 * What every HTTP handler shares: the edge ({@link HttpEdge}: the request's log context, errors
 * mapped in one place) and the SnapStart priming of the request path. Each handler is the routes it
 * answers ({@link #serve}), with a no-argument constructor that builds its collaborators from the
 * environment once and one that takes them, for tests.
 */
public abstract class ApiHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Override
  public final APIGatewayV2HTTPResponse handleRequest(
      APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.serve(event, context, this::serve);
  }

  /** Answers a request, or throws {@link ApiException}. */
  protected abstract HttpResponse serve(HttpRequest request);

  /**
   * SnapStart: the request path once before the snapshot, with a request the handler refuses before
   * any write (and before any secret is opened).
   */
  protected final void prime(String routeKey, String path, String body) {
    Priming.register("handler", () -> handleRequest(Priming.httpEvent(routeKey, path, body), null));
  }
}
