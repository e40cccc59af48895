package dev.custodian.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.Disclosure;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.idempotency.IdempotencyStore;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.core.policy.AccountNotices;
import dev.custodian.core.policy.PolicyVersions;
import dev.custodian.core.processors.Processor;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.snapstart.Priming;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends the emails queued on the notification queue with SES. Each message is handled on its own
 * and reported on its own ({@code batchItemFailures}); a message seen before (a redelivery) sends
 * nothing again; a malformed one is reported until the queue moves it to its dead-letter queue.
 */
public final class NotifierHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private final Recipients recipients;
  private final IdempotencyStore sent;
  private final SesMail ses;
  private final String sender;
  private final PrivacyCore core;
  private final String requestsTable;
  private final PolicyNotices policyNotices;

  public NotifierHandler() {
    this(RuntimeEnvironment.current());
    // SnapStart: the batch path once before the snapshot (an empty batch sends nothing)
    Priming.register("handler", () -> handleRequest(new SQSEvent(), null));
  }

  private NotifierHandler(Map<String, String> env) {
    this(NotifierConfig.fromEnvironment(env), AwsClients.fromEnvironment(env));
  }

  private NotifierHandler(NotifierConfig config, AwsClients clients) {
    this(
        config,
        new PrivacyCore(config.core(), clients, Clock.systemUTC()),
        new SesMail(clients),
        clients.build(SqsClient.builder()));
  }

  NotifierHandler(NotifierConfig config, PrivacyCore core, SesMail ses, SqsClient sqs) {
    this.core = core;
    this.requestsTable = config.requestsTable();
    this.recipients =
        new Recipients(
            core,
            new RequestKeys(core.kms(), config.core().dataKeyId()),
            Map.of(
                "request", config.requestsTable(),
                "ticket", config.contactTable(),
                "order", config.ordersTable()));
    this.sent = core.idempotency();
    this.ses = ses;
    this.sender = config.senderAddress();
    this.policyNotices =
        new PolicyNotices(
            core,
            new PolicyVersions(core.dynamoDb(), config.policyTable()),
            new AccountNotices(core.dynamoDb(), config.profilesTable()),
            new Notifications(sqs, config.notificationQueueUrl()),
            ses,
            sender,
            config.policyUrl());
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      try {
        handle(message);
      } catch (RuntimeException e) {
        Log.failure("notification failed", e, "messageId", message.getMessageId());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  private void handle(SQSEvent.SQSMessage message) {
    Notifications.Notification notification;
    try {
      notification = Json.MAPPER.readValue(message.getBody(), Notifications.Notification.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed notification");
    }
    String hash = IdempotencyStore.payloadHash(Json.tree(notification));
    IdempotencyStore.Start start = sent.begin("notify", message.getMessageId(), hash);
    if (!(start instanceof IdempotencyStore.Started started)) {
      Log.info("notification already handled", "messageId", message.getMessageId());
      return;
    }
    try {
      if (PolicyNotices.handles(notification.template())) {
        policyNotices.handle(notification);
        sent.complete(started, "{\"sent\":true}");
        return;
      }
      Optional<Recipients.Recipient> recipient =
          recipients.of(notification.recordId(), notification.sealedSecret());
      if (recipient.isEmpty()) {
        Log.info("notification has no recipient any more", "recordId", notification.recordId());
      } else {
        Emails.Email email =
            Emails.render(
                notification.template(), notification.recordId(), recipient.get().secret());
        ses.send(sender, recipient.get().address(), email.subject(), email.body());
        recordDisclosure(notification.recordId(), recipient.get().subjectId());
        Log.info(
            "notification sent",
            "template",
            notification.template().name(),
            "recordId",
            notification.recordId());
      }
      if (notification.template() == Template.NO_DATA_HELD
          || notification.template() == Template.REQUEST_COMPLETED
          || notification.template() == Template.REQUEST_DENIED) {
        forgetRequestEmail(notification.recordId());
      }
      sent.complete(started, "{\"sent\":true}");
    } catch (RuntimeException e) {
      sent.release(started);
      throw e;
    }
  }

  /**
   * The address and message went to the email delivery processor (docs/privacy.md#processors):
   * recorded for the person's export. After the send, and never failing the message: a redelivery
   * would send the email twice, which is worse than a missing line in the record (logged for an
   * operator).
   */
  private void recordDisclosure(String recordId, String subjectId) {
    if (subjectId == null) {
      return; // a request of an address not (yet) known to be anyone's: nobody's export to show
    }
    DataClass dataClass =
        recordId.startsWith("o_")
            ? DataClass.ORDER_CONTACT
            : recordId.startsWith("t_") ? DataClass.CONTACT_MESSAGE : DataClass.REQUEST_EMAIL;
    Purpose purpose =
        recordId.startsWith("o_")
            ? Purpose.ORDER_FULFILMENT
            : recordId.startsWith("t_") ? Purpose.SUPPORT : Purpose.DATA_SUBJECT_REQUEST;
    try {
      core.audit()
          .record(
              new Disclosure(
                  Actor.function("notifier"),
                  Processor.EMAIL_DELIVERY.auditName(),
                  purpose,
                  dataClass.legalBasis(),
                  List.of(dataClass),
                  recordId,
                  List.of(recordId),
                  subjectId,
                  null,
                  null,
                  Outcome.SUCCESS));
    } catch (RuntimeException e) {
      Log.failure("email disclosure not recorded", e, "recordId", recordId);
    }
  }

  /** A completed request keeps its email only until the person is told: then it goes. */
  private void forgetRequestEmail(String requestId) {
    new RequestEmails(core.dynamoDb(), requestsTable).forget(requestId);
    try {
      core.dynamoDb().updateItem(PrivacyRequestItems.keyForgotten(requestsTable, requestId));
    } catch (ConditionalCheckFailedException gone) {
      // the request is gone already: nothing left to forget
    }
  }
}
