package dev.custodian.analytics;

import dev.custodian.core.analytics.VisitorPseudonyms;
import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.KmsDataKeys;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.snapstart.Priming;
import dev.custodian.core.validation.JsonBody;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code POST /events} (public) and {@code GET /admin/stats} (operators, IAM). */
public final class AnalyticsHandler extends ApiHandler {

  private final AnalyticsService analytics;
  private final VisitorForgetting forgetting;
  private final DailyStats stats;

  public AnalyticsHandler() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: the request path once before the snapshot (refused before any write)
    prime("POST /events", "/events", "{}");
    Priming.register("aws-sdk", analytics::prime);
  }

  AnalyticsHandler(Wired wired) {
    this.analytics = wired.analytics();
    this.forgetting = wired.forgetting();
    this.stats = wired.stats();
  }

  /** What the routes of this handler use, built once per container. */
  record Wired(AnalyticsService analytics, VisitorForgetting forgetting, DailyStats stats) {}

  /**
   * One function serves ingest, the other the statistics; only ingest needs KMS (for the
   * pseudonyms' secret), so the KMS client is built on first use, never by the statistics function.
   */
  private static Wired wire(Map<String, String> env) {
    AnalyticsConfig config = AnalyticsConfig.fromEnvironment(env);
    AwsClients clients = AwsClients.fromEnvironment(env);
    DynamoDbClient dynamoDb = clients.dynamoDb("custodian-analytics");
    Clock clock = Clock.systemUTC();
    Supplier<BlindIndex> pseudonyms =
        new Supplier<>() {
          private BlindIndex index;

          @Override
          public synchronized BlindIndex get() {
            if (index == null) {
              index =
                  VisitorPseudonyms.index(
                      new KmsDataKeys(clients, "custodian-analytics"),
                      dynamoDb,
                      config.core().subjectsTable(),
                      config.core().dataKeyId(),
                      clock);
            }
            return index;
          }
        };
    return new Wired(
        new AnalyticsService(
            dynamoDb,
            config.eventsTable(),
            config.pageTypes(),
            pseudonyms,
            config.core().retention(),
            PolicyStamp.fromEnvironment(dynamoDb, env, clock),
            clock),
        new VisitorForgetting(
            dynamoDb,
            config.eventsTable(),
            pseudonyms,
            new AuditTrail(dynamoDb, config.core().auditTable(), config.core().retention(), clock),
            clock),
        new DailyStats(dynamoDb, config.aggregatesTable(), clock));
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    if (request.routeKey().equals("POST /events")) {
      AnalyticsService.Outcome outcome =
          analytics.ingest(JsonBody.read(request, AnalyticsService.BATCH), headers(request));
      return HttpResponse.json(202, outcome);
    }
    if (request.routeKey().equals("POST /events/forget")) {
      return HttpResponse.json(
          202,
          forgetting.forget(JsonBody.read(request, VisitorForgetting.FORGET), request.requestId()));
    }
    request.operator();
    return HttpResponse.ok(
        stats.between(
            request.queryParameter("from").orElse(null),
            request.queryParameter("to").orElse(null)));
  }

  private static Map<String, String> headers(HttpRequest request) {
    Map<String, String> out = new HashMap<>();
    for (String name : new String[] {"sec-gpc", "dnt", "user-agent"}) {
      request.header(name).ifPresent(v -> out.put(name.toLowerCase(Locale.ROOT), v.trim()));
    }
    return out;
  }
}
