package dev.custodian.privacy.policy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.http.HttpEdge;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.snapstart.Priming;

/** {@code GET /privacy/policy}: the version of the privacy policy in force. */
public final class PolicyHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final HttpResponse answer;

  public PolicyHandler() {
    this(PolicyConfig.fromEnvironment(RuntimeEnvironment.current()));
    // SnapStart: the request path once before the snapshot (refused before any write)
    Priming.register(
        "handler",
        () ->
            handleRequest(Priming.httpEvent("GET /privacy/policy", "/privacy/policy", null), null));
  }

  PolicyHandler(PolicyConfig policy) {
    // The policy cannot change while the container lives: build the answer once.
    this.answer =
        HttpResponse.ok(
                new PublishedPolicy(
                    policy.version(), policy.effectiveFrom().toString(), policy.url()))
            .withHeader("cache-control", "public, max-age=300");
  }

  /** The body of the answer. */
  record PublishedPolicy(String version, String effectiveFrom, String url) {}

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return HttpEdge.serve(event, context, request -> answer);
  }
}
