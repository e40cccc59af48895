package dev.custodian.core.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.log.Log;
import java.util.List;

/**
 * The edge of every HTTP handler: runs a route and maps its outcome to a response. A domain error
 * becomes its status and code; anything else is logged (class and frames, never the message, which
 * may quote input) and answered with a generic 500.
 */
public final class HttpEdge {

  private HttpEdge() {}

  /** A route: reads the request, answers or throws {@link ApiException}. */
  @FunctionalInterface
  public interface Route {
    HttpResponse handle(HttpRequest request);
  }

  public static APIGatewayV2HTTPResponse serve(
      APIGatewayV2HTTPEvent event, Context context, Route route) {
    HttpRequest request = new HttpRequest(event);
    Log.begin(request.requestId(), context == null ? null : context.getAwsRequestId());
    try {
      HttpResponse response = route.handle(request);
      Log.info("request served", "route", request.routeKey(), "status", response.status());
      return response.toEvent();
    } catch (ApiException e) {
      Log.info(
          "request refused",
          "route",
          request.routeKey(),
          "status",
          e.code().status(),
          "error",
          e.code().wireName());
      return HttpResponse.error(e.code(), e.getMessage(), e.fields()).toEvent();
    } catch (RuntimeException | Error e) {
      Log.failure("request failed", e, "route", request.routeKey());
      return HttpResponse.error(
              ErrorCode.INTERNAL, "Something went wrong on our side. Please try again.", List.of())
          .toEvent();
    } finally {
      Log.end();
    }
  }
}
