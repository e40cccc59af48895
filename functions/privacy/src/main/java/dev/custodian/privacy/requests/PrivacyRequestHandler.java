package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.util.RawValue;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.analytics.VisitorPseudonyms;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.aws.QueueSender;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.json.Json;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.validation.JsonBody;
import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /privacy/requests}, {@code POST /privacy/requests/{id}/verify} and {@code GET
 * /privacy/requests/{id}}: the public side of data-subject requests.
 */
public final class PrivacyRequestHandler extends ApiHandler {

  static final String REQUESTS_TABLE = "PRIVACY_REQUESTS_TABLE";
  static final String NOTIFICATION_QUEUE_URL = "NOTIFICATION_QUEUE_URL";
  static final String ERASURE_QUEUE_URL = "ERASURE_QUEUE_URL";
  static final String ANALYTICS_EVENTS_TABLE = "ANALYTICS_EVENTS_TABLE";
  static final String EXPORT_QUEUE_URL = "EXPORT_QUEUE_URL";
  static final String EXPORTS_TABLE = "EXPORTS_TABLE";

  private final PrivacyRequests requests;

  public PrivacyRequestHandler() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: the request path once before the snapshot (refused before any write)
    prime("POST /privacy/requests", "/privacy/requests", "{}");
  }

  private static PrivacyRequests wire(Map<String, String> env) {
    return wire(
        env,
        new PrivacyCore(
            CoreConfig.fromEnvironment(env), AwsClients.fromEnvironment(env), Clock.systemUTC()));
  }

  PrivacyRequestHandler(PrivacyRequests requests) {
    this.requests = requests;
  }

  /** The requests service over an existing core (one set of clients per container). */
  static PrivacyRequests wire(Map<String, String> env, PrivacyCore core) {
    CoreConfig config = core.config();
    AwsClients clients = AwsClients.fromEnvironment(env);
    // SendMessage only: a signed call, without the SQS client's cold-start cost
    QueueSender sqs = QueueSender.signed(clients, "custodian-privacy");
    RequestKeys requestKeys = new RequestKeys(core.kms(), config.dataKeyId());
    return new PrivacyRequests(
        core,
        RuntimeEnvironment.require(env, REQUESTS_TABLE),
        requestKeys,
        new Notifications(sqs, RuntimeEnvironment.require(env, NOTIFICATION_QUEUE_URL)),
        queue(sqs, RuntimeEnvironment.require(env, ERASURE_QUEUE_URL)),
        exportQueue(sqs, RuntimeEnvironment.require(env, EXPORT_QUEUE_URL)),
        analyticsHistory(env, core, requestKeys),
        subjectRecords(env, core),
        new ExportStore(core, RuntimeEnvironment.require(env, EXPORTS_TABLE), requestKeys),
        PolicyStamp.fromEnvironment(core.dynamoDb(), env, core.clock()));
  }

  /**
   * Verified erasure and access requests go to their workers as ids only: no subject id for an
   * address that is not known (only its visitor ids are handled).
   */
  private static PrivacyRequests.WorkQueue queue(QueueSender sqs, String url) {
    return (requestId, subjectId) ->
        sqs.send(
            url,
            Json.write(
                subjectId == null
                    ? Map.of("requestId", requestId)
                    : Map.of("requestId", requestId, "subjectId", subjectId)));
  }

  /**
   * Verified access requests go to the export worker as their id alone: the worker reads the
   * verified subject from the request itself.
   */
  private static PrivacyRequests.WorkQueue exportQueue(QueueSender sqs, String url) {
    return (requestId, subjectId) -> sqs.send(url, Json.write(Map.of("requestId", requestId)));
  }

  static AnalyticsHistory analyticsHistory(
      Map<String, String> env, PrivacyCore core, RequestKeys requestKeys) {
    return new AnalyticsHistory(
        core.dynamoDb(),
        RuntimeEnvironment.require(env, ANALYTICS_EVENTS_TABLE),
        VisitorPseudonyms.index(
            core.kms(),
            core.dynamoDb(),
            core.config().subjectsTable(),
            core.config().dataKeyId(),
            core.clock()),
        requestKeys);
  }

  /** The subject's tables of a function's environment. */
  public static SubjectRecords subjectRecords(Map<String, String> env, PrivacyCore core) {
    return new SubjectRecords(
        core,
        new SubjectRecords.Tables(
            RuntimeEnvironment.require(env, "ORDERS_TABLE"),
            RuntimeEnvironment.require(env, "CONTACT_TABLE"),
            RuntimeEnvironment.require(env, ANALYTICS_EVENTS_TABLE),
            RuntimeEnvironment.require(env, REQUESTS_TABLE),
            RuntimeEnvironment.require(env, "PROFILES_TABLE")));
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    return switch (request.routeKey()) {
      case "POST /privacy/requests" ->
          HttpResponse.json(
              202,
              requests.create(
                  JsonBody.read(request, RequestSchemas.NEW_REQUEST), request.requestId()));
      case "POST /privacy/requests/{requestId}/verify" ->
          HttpResponse.ok(
              requests.verify(
                  request.pathParameter("requestId").orElseThrow(ApiException::notFound),
                  JsonBody.read(request, RequestSchemas.VERIFY).get("code").asText(),
                  request.requestId()));
      case "GET /privacy/requests/{requestId}/export" ->
          HttpResponse.ok(
              new RawValue(
                  requests
                      .export(
                          request.pathParameter("requestId").orElseThrow(ApiException::notFound),
                          request.bearerToken(),
                          page(request.queryParameter("page").orElse(null)),
                          request.requestId())
                      .json()));
      case "GET /privacy/requests/{requestId}" ->
          HttpResponse.ok(
              requests.status(
                  request.pathParameter("requestId").orElseThrow(ApiException::notFound),
                  request.bearerToken()));
      default -> throw ApiException.notFound();
    };
  }

  /** The page of an export asked for: 1 unless given, a whole number from 1 to 9999. */
  static int page(String parameter) {
    if (parameter == null) {
      return 1;
    }
    if (!parameter.matches("[1-9][0-9]{0,3}")) {
      throw ApiException.invalid("page", "must be a whole number from 1 to 9999");
    }
    return Integer.parseInt(parameter);
  }
}
