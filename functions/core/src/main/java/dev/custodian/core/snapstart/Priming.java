package dev.custodian.core.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.custodian.core.log.Log;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming. Lambda snapshots a function after its initialisation; what runs before the
 * snapshot is not paid again on a restore. A function registers its hot path here — a request that
 * goes through the JSON reading, validation and error answer without writing anything, and the SDK
 * client's first call (a GetItem of a key that does not exist) — and it runs once, before the
 * snapshot, never on the request path. Nothing secret is in memory at that point: no key has been
 * unwrapped and no personal data read, so the snapshot holds none. Where the JVM cannot checkpoint
 * (locally, in tests) the hooks are never called. One step per name: a container that builds its
 * wiring again replaces the step, it does not add one.
 */
public final class Priming implements Resource {

  private static final Map<String, Runnable> STEPS = new LinkedHashMap<>();
  private static final Priming INSTANCE = new Priming();
  private static boolean registered;

  private Priming() {}

  /** Registers (or replaces) a named priming step. */
  public static synchronized void register(String name, Runnable step) {
    STEPS.put(name, step);
    if (!registered) {
      Core.getGlobalContext().register(INSTANCE);
      registered = true;
    }
  }

  /** Runs every step now (what the checkpoint hook does); a failing step is logged and skipped. */
  public static synchronized int primeNow() {
    int ran = 0;
    for (Map.Entry<String, Runnable> step : STEPS.entrySet()) {
      try {
        step.getValue().run();
        ran++;
      } catch (RuntimeException e) {
        Log.warn(
            "priming step failed", "step", step.getKey(), "error", e.getClass().getSimpleName());
      }
    }
    Log.info("primed before the snapshot", "steps", ran);
    return ran;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    primeNow();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to refresh: no credentials, keys or personal data were cached before the snapshot.
  }

  /**
   * The SDK's first request: a GetItem of a key that cannot exist. An error answer (even access
   * denied) primes the same marshalling, signing, connection and unmarshalling code.
   */
  public static void touch(DynamoDbClient dynamoDb, String table) {
    try {
      dynamoDb.getItem(
          b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("priming#absent"))));
    } catch (SdkException expected) {
      // primed all the same
    }
  }

  /** An HTTP API request to run through a handler: it must be refused before any write. */
  public static APIGatewayV2HTTPEvent httpEvent(String routeKey, String path, String body) {
    String method = routeKey.substring(0, routeKey.indexOf(' '));
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(routeKey)
        .withRawPath(path)
        .withHeaders(Map.of("content-type", "application/json", "user-agent", "priming"))
        .withBody(body)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId("priming")
                .withRouteKey(routeKey)
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(path)
                        .withSourceIp("127.0.0.1")
                        .build())
                .build())
        .build();
  }

  static List<String> steps() {
    return List.copyOf(STEPS.keySet());
  }
}
