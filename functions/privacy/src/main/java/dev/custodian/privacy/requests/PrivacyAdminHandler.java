package dev.custodian.privacy.requests;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.multiline;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.processing.RecordOfProcessing;
import dev.custodian.core.validation.JsonBody;
import dev.custodian.core.validation.Schema;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Operator routes (IAM): {@code GET /admin/privacy-requests?status=}, {@code POST
 * /admin/privacy-requests/{requestId}/extend} and {@code .../deny}, each with {@code {reason}}; and
 * {@code GET /admin/privacy/record-of-processing} (Art. 30 GDPR).
 */
public final class PrivacyAdminHandler extends ApiHandler {

  static final Schema REASON = object().required("reason", multiline(3, 1000));

  private final PrivacyAdmin admin;
  private final Map<String, Object> recordOfProcessing;

  public PrivacyAdminHandler() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: the request path once before the snapshot (refused before any write)
    prime("GET /admin/privacy-requests", "/admin/privacy-requests", null);
  }

  PrivacyAdminHandler(PrivacyAdmin admin) {
    this(admin, RecordOfProcessing.fromBuild(admin.retention()).asJson());
  }

  PrivacyAdminHandler(PrivacyAdmin admin, Map<String, Object> recordOfProcessing) {
    this.admin = admin;
    this.recordOfProcessing = recordOfProcessing;
  }

  private static PrivacyAdmin wire(Map<String, String> env) {
    CoreConfig config = CoreConfig.fromEnvironment(env);
    AwsClients clients = AwsClients.fromEnvironment(env);
    PrivacyCore core = new PrivacyCore(config, clients, Clock.systemUTC());
    return new PrivacyAdmin(
        core,
        RuntimeEnvironment.require(env, PrivacyRequestHandler.REQUESTS_TABLE),
        new Notifications(
            clients.build(SqsClient.builder()),
            RuntimeEnvironment.require(env, PrivacyRequestHandler.NOTIFICATION_QUEUE_URL)));
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    String operator = request.operator();
    return switch (request.routeKey()) {
      // Art. 30 GDPR: generated from the registries and the template's IAM at build time
      case "GET /admin/privacy/record-of-processing" -> HttpResponse.ok(recordOfProcessing);
      case "GET /admin/privacy-requests" ->
          HttpResponse.ok(
              admin.list(
                  request.queryParameter("status").orElse(null),
                  request.queryParameter("limit").orElse(null),
                  request.queryParameter("cursor").orElse(null)));
      case "POST /admin/privacy-requests/{requestId}/extend" ->
          HttpResponse.ok(
              admin.extend(
                  request.pathParameter("requestId").orElseThrow(ApiException::notFound),
                  JsonBody.read(request, REASON),
                  operator,
                  request.requestId()));
      case "POST /admin/privacy-requests/{requestId}/deny" ->
          HttpResponse.ok(
              admin.deny(
                  request.pathParameter("requestId").orElseThrow(ApiException::notFound),
                  JsonBody.read(request, REASON),
                  operator,
                  request.requestId()));
      default -> throw ApiException.notFound();
    };
  }
}
