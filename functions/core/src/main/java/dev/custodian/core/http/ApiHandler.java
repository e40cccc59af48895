package dev.custodian.core.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.custodian.core.snapstart.Priming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * What every HTTP handler shares: the edge ({@link HttpEdge}: the request's log context, errors
 * mapped in one place) and the SnapStart priming of the request path. Each handler is the routes it
 * answers ({@link #serve}), with a no-argument constructor that builds its collaborators from the
 * environment once and one that takes them, for tests.
 *
 * <p>Lambda hands it the event as a stream, which {@link HttpEventJson} reads and the answer is
 * written to: the runtime's own event serializer is never loaded (see docs/benchmarks.md).
 */
public abstract class ApiHandler implements RequestStreamHandler {

  @Override
  public final void handleRequest(InputStream event, OutputStream answer, Context context)
      throws IOException {
    HttpEventJson.write(handleRequest(HttpEventJson.read(event), context), answer);
  }

  /** The same request as an event object (tests, priming). */
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
    Priming.register(
        "handler",
        () -> {
          // as Lambda hands it over: the event's JSON, read and answered through the stream
          ByteArrayOutputStream event = new ByteArrayOutputStream();
          try {
            HttpEventJson.write(Priming.httpEvent(routeKey, path, body), event);
            handleRequest(
                new ByteArrayInputStream(event.toByteArray()),
                OutputStream.nullOutputStream(),
                null);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
