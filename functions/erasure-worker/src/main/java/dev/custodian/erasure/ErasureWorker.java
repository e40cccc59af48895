package dev.custodian.erasure;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.analytics.VisitorPseudonyms;
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
 * Consumes the erasure queue: each message names a verified erasure request ({@code requestId},
 * {@code subjectId}), or asks to re-apply the tombstones after a restore ({@code reapply}), one
 * slice at a time from the tombstone after {@code after}, the next slice queued as another message.
 * Each message is answered on its own; one that keeps failing ends in the dead-letter queue.
 */
public final class ErasureWorker implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private final Erasure erasure;
  private final ReapplyQueue reapplyQueue;

  public ErasureWorker() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: the batch path once before the snapshot (an empty batch erases nothing)
    Priming.register("handler", () -> handleRequest(new SQSEvent(), null));
  }

  ErasureWorker(Erasure erasure, ReapplyQueue reapplyQueue) {
    this.erasure = erasure;
    this.reapplyQueue = reapplyQueue;
  }

  private ErasureWorker(Wired wired) {
    this(wired.erasure(), wired.reapplyQueue());
  }

  private record Wired(Erasure erasure, ReapplyQueue reapplyQueue) {}

  private static Wired wire(Map<String, String> env) {
    CoreConfig config = CoreConfig.fromEnvironment(env);
    AwsClients clients = AwsClients.fromEnvironment(env);
    SqsClient sqs = clients.build(SqsClient.builder());
    Clock clock = Clock.systemUTC();
    PrivacyCore core = new PrivacyCore(config, clients, clock);
    Erasure erasure =
        new Erasure(
            core,
            ErasureTables.fromEnvironment(env),
            new RequestKeys(core.kms(), config.dataKeyId()),
            VisitorPseudonyms.index(
                core.kms(), core.dynamoDb(), config.subjectsTable(), config.dataKeyId(), clock),
            new Notifications(sqs, RuntimeEnvironment.require(env, "NOTIFICATION_QUEUE_URL")),
            RuntimeEnvironment.optional(env, "AWS_LAMBDA_FUNCTION_NAME").orElse("erasure-worker"));
    return new Wired(
        erasure, new ReapplyQueue(sqs, RuntimeEnvironment.require(env, "ERASURE_QUEUE_URL")));
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      try {
        JsonNode body = Json.MAPPER.readTree(message.getBody());
        if (body != null && body.path("reapply").asBoolean(false)) {
          String after = body.path("after").isTextual() ? body.get("after").asText() : null;
          erasure.reapplyTombstones(after).ifPresent(reapplyQueue::continueAfter);
        } else if (body != null
            && body.path("requestId").isTextual()
            && (body.path("subjectId").isTextual() || body.path("subjectId").isMissingNode())) {
          // no subject id: an address that is not known, whose visitor ids alone are erased
          erasure.erase(
              body.get("requestId").asText(),
              body.path("subjectId").isTextual() ? body.get("subjectId").asText() : null);
        } else {
          throw new IllegalArgumentException("not an erasure message");
        }
      } catch (IOException | RuntimeException e) {
        Log.failure("erasure message failed", e, "messageId", message.getMessageId());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }
}
