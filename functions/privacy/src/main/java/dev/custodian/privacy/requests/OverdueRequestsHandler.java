package dev.custodian.privacy.requests;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.log.Log;
import dev.custodian.core.log.Metrics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs on a schedule: publishes {@code OverdueRequests} and {@code RequestsDueWithin3Days}
 * (namespace {@value Metrics#NAMESPACE}, no dimensions) for the alarm on overdue requests, and
 * answers the same counts. The scheduled event itself carries nothing it needs (a map: the jar
 * keeps only the event classes the functions use).
 */
public final class OverdueRequestsHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  static final String OVERDUE = "OverdueRequests";
  static final String DUE_SOON = "RequestsDueWithin3Days";

  private final RequestDeadlines deadlines;

  public OverdueRequestsHandler() {
    this(wire(RuntimeEnvironment.current()));
  }

  OverdueRequestsHandler(RequestDeadlines deadlines) {
    this.deadlines = deadlines;
  }

  private static RequestDeadlines wire(Map<String, String> env) {
    return new RequestDeadlines(
        AwsClients.fromEnvironment(env).dynamoDb("custodian-overdue-requests"),
        RuntimeEnvironment.require(env, PrivacyRequestHandler.REQUESTS_TABLE),
        Clock.systemUTC());
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
    RequestDeadlines.Counts counts = deadlines.count();
    Map<String, Long> metrics = new LinkedHashMap<>();
    metrics.put(OVERDUE, counts.overdue());
    metrics.put(DUE_SOON, counts.dueSoon());
    Metrics.counts(metrics, Map.of());
    Log.info("request deadlines counted", "overdueByStatus", counts.overdueByStatus());
    Map<String, Object> out = new LinkedHashMap<>(metrics);
    out.put("at", counts.at().toString());
    return out;
  }
}
