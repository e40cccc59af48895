package dev.custodian.privacy.requests;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.snapstart.Priming;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS consumer of verified access requests ({@code {requestId}}): prepares each export off the
 * request path, however much the person has, and answers per message, so that a failed one is
 * retried (and after five attempts waits in the dead-letter queue) without the others.
 */
public final class ExportWorker implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private final ExportPreparation preparation;

  public ExportWorker() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: the batch path once before the snapshot (an empty batch prepares nothing)
    Priming.register("handler", () -> handleRequest(new SQSEvent(), null));
  }

  ExportWorker(ExportPreparation preparation) {
    this.preparation = preparation;
  }

  private static ExportPreparation wire(Map<String, String> env) {
    AwsClients clients = AwsClients.fromEnvironment(env);
    PrivacyCore core = new PrivacyCore(CoreConfig.fromEnvironment(env), clients, Clock.systemUTC());
    RequestKeys requestKeys = new RequestKeys(core.kms(), core.config().dataKeyId());
    SubjectRecords records = PrivacyRequestHandler.subjectRecords(env, core);
    return new ExportPreparation(
        core,
        RuntimeEnvironment.require(env, PrivacyRequestHandler.REQUESTS_TABLE),
        new Notifications(
            clients.build(SqsClient.builder()),
            RuntimeEnvironment.require(env, PrivacyRequestHandler.NOTIFICATION_QUEUE_URL)),
        PrivacyRequestHandler.analyticsHistory(env, core, requestKeys),
        new ExportContents(core, records),
        new ExportStore(
            core,
            RuntimeEnvironment.require(env, PrivacyRequestHandler.EXPORTS_TABLE),
            requestKeys),
        new ExportPages(ExportPages.RESPONSE_BUDGET),
        RuntimeEnvironment.require(env, PrivacyRequestHandler.EXPORTS_TABLE));
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      try {
        JsonNode body = Json.MAPPER.readTree(message.getBody());
        if (body == null || !body.path("requestId").isTextual()) {
          throw new IllegalArgumentException("not an export message");
        }
        // Only the request id is read: the subject is the one verification stored on it.
        ExportPreparation.Result result =
            preparation.prepare(body.get("requestId").asText(), message.getMessageId());
        Log.info("export message handled", "messageId", message.getMessageId(), "result", result);
      } catch (IOException | RuntimeException e) {
        Log.failure("export message failed", e, "messageId", message.getMessageId());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }
}
