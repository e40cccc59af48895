package dev.custodian.privacy.policy;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.bool;
import static dev.custodian.core.validation.Types.instant;
import static dev.custodian.core.validation.Types.matching;
import static dev.custodian.core.validation.Types.multiline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.policy.PolicyText;
import dev.custodian.core.policy.PolicyVersion;
import dev.custodian.core.policy.PolicyVersions;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.validation.JsonBody;
import dev.custodian.core.validation.Schema;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code POST /admin/privacy/policy/versions} (IAM auth): an operator publishes a version. The
 * operator writes the prose (or takes the committed default template); the facts — retention per
 * data class, purposes, processors — are filled in here from the registries this deployment
 * enforces, and the rendered text is stored once, with its audit record, never to change. A
 * material version queues an email to every account holder (ids only, through the notifier).
 */
public final class PolicyAdminHandler extends ApiHandler {

  static final Schema PUBLISH =
      object()
          .required(
              "version", matching(1, 32, PolicyVersion.VERSION_PATTERN, "a policy version name"))
          .optional("effectiveFrom", instant())
          .required("material", bool())
          .required("summaryOfChanges", multiline(1, 2000))
          .optional("text", multiline(1, 30_000));

  private final PolicyVersions versions;
  private final AuditTrail audit;
  private final DynamoDbClient dynamoDb;
  private final RetentionRegistry retention;
  private final Notifications notifications;
  private final Clock clock;

  public PolicyAdminHandler() {
    this(RuntimeEnvironment.current(), AwsClients.fromEnvironment(RuntimeEnvironment.current()));
    // SnapStart: the request path once before the snapshot (refused before any write: no IAM)
    prime("POST /admin/privacy/policy/versions", "/admin/privacy/policy/versions", "{}");
  }

  private PolicyAdminHandler(Map<String, String> env, AwsClients clients) {
    this(
        clients.dynamoDb("custodian-policy-admin"),
        RuntimeEnvironment.require(env, PolicyVersions.TABLE_VARIABLE),
        CoreConfig.fromEnvironment(env),
        new Notifications(
            clients.build(SqsClient.builder()),
            RuntimeEnvironment.require(env, "NOTIFICATION_QUEUE_URL")),
        Clock.systemUTC());
  }

  PolicyAdminHandler(
      DynamoDbClient dynamoDb,
      String table,
      CoreConfig core,
      Notifications notifications,
      Clock clock) {
    this.dynamoDb = dynamoDb;
    this.versions = new PolicyVersions(dynamoDb, table);
    this.audit = new AuditTrail(dynamoDb, core.auditTable(), core.retention(), clock);
    this.retention = core.retention();
    this.notifications = notifications;
    this.clock = clock;
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    String operator = request.operator();
    if (!"POST /admin/privacy/policy/versions".equals(request.routeKey())) {
      throw ApiException.notFound();
    }
    JsonNode body = JsonBody.read(request, PUBLISH);
    PolicyVersion version = compose(body, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    publish(version, operator, request.requestId());
    return HttpResponse.json(201, PolicyViews.full(version));
  }

  /** The version the body describes, published now: its text rendered from the registries. */
  PolicyVersion compose(JsonNode body, Instant now) {
    String name = body.get("version").asText();
    // Effective on publication unless a later date is given: a policy never applies backwards.
    Instant effectiveFrom =
        Optional.ofNullable(body.get("effectiveFrom"))
            .filter(JsonNode::isTextual)
            .map(v -> Instant.parse(v.asText()))
            .filter(now::isBefore)
            .orElse(now);
    String template =
        body.hasNonNull("text") ? body.get("text").asText() : PolicyText.defaultTemplate();
    List<String> problems = PolicyText.problems(template);
    if (!problems.isEmpty()) {
      throw ApiException.invalid("text", String.join("; ", problems));
    }
    return new PolicyVersion(
        name,
        now,
        effectiveFrom,
        body.get("material").asBoolean(),
        body.get("summaryOfChanges").asText(),
        PolicyText.render(template, name, effectiveFrom, retention));
  }

  private void publish(PolicyVersion version, String operator, String requestId) {
    var record =
        audit.asTransactPut(
            new AuditRecord(
                Actor.operator(operator),
                Action.CREATE,
                DataClass.POLICY_VERSION,
                version.version(),
                null,
                Purpose.LEGAL_OBLIGATION,
                Outcome.SUCCESS,
                requestId));
    try {
      dynamoDb.transactWriteItems(b -> b.transactItems(versions.publishing(version), record));
    } catch (TransactionCanceledException e) {
      if (!Cancellations.conditionFailedAt(e, 0)) {
        throw e;
      }
      // Published already: nothing changes. If that one is material, its notices are queued
      // again, so a publication whose queueing failed can be finished by repeating it (each
      // account is emailed once per version whatever happens).
      versions.get(version.version()).filter(PolicyVersion::material).ifPresent(this::announce);
      throw new ApiException(
          ErrorCode.CONFLICT, "Version " + version.version() + " is published already.");
    }
    Log.info(
        "policy version published",
        "version",
        version.version(),
        "material",
        version.material(),
        "effectiveFrom",
        version.effectiveFrom().toString());
    if (version.material()) {
      announce(version);
    }
  }

  /** Queues the first page of the account holders' notices (the notifier pages on). */
  private void announce(PolicyVersion version) {
    notifications.send(
        new Notifications.Notification(
            Notifications.Template.POLICY_NOTICES, null, version.version()));
    Log.info("policy notices queued", "version", version.version());
  }
}
