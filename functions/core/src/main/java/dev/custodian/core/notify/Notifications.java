package dev.custodian.core.notify;

import dev.custodian.core.aws.QueueSender;
import dev.custodian.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Puts email requests on the notification queue for the notifier. A message names a template, the
 * data subject and the record the email is about — references only: the recipient's address and any
 * personal content stay sealed in the tables, and only the notifier opens them. So the queue, its
 * dead-letter queue and any copy of a message hold no personal data.
 */
public final class Notifications {

  /** The emails Custodian sends. */
  public enum Template {
    VERIFICATION_CODE,
    NO_DATA_HELD,
    REQUEST_RECEIVED,
    REQUEST_COMPLETED,
    REQUEST_EXTENDED,
    REQUEST_DENIED,
    ORDER_RECEIVED,
    CONTACT_RECEIPT,
    /**
     * Not an email: one page of a material policy version's notices to account holders. {@code
     * recordId} is the version; {@code subjectId} is where the page starts (the last account of the
     * page before, exclusive), null for the first page.
     */
    POLICY_NOTICES,
    /**
     * A material policy version's notice to one account holder: {@code recordId} is the version.
     */
    POLICY_NOTICE
  }

  /**
   * One email to send: what, to whom (a subject id), about which record; {@code sealedSecret} is a
   * one-time code sealed under the request's key, for the verification email only.
   */
  public record Notification(
      Template template, String subjectId, String recordId, String sealedSecret) {
    public Notification(Template template, String subjectId, String recordId) {
      this(template, subjectId, recordId, null);
    }

    public Notification {
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(recordId, "recordId");
      if ((subjectId != null && subjectId.contains("@")) || recordId.contains("@")) {
        throw new IllegalArgumentException("notifications carry ids, never addresses");
      }
    }
  }

  private final QueueSender queue;
  private final SqsClient sqs; // for batches and delays; null where one message at a time is all
  private final String queueUrl;

  /** One message at a time, through a sender (a request path that only ever sends one). */
  public Notifications(QueueSender queue, String queueUrl) {
    this.queue = queue;
    this.sqs = null;
    this.queueUrl = queueUrl;
  }

  public Notifications(SqsClient sqs, String queueUrl) {
    this.queue = QueueSender.of(sqs);
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  private SqsClient batches() {
    if (sqs == null) {
      throw new IllegalStateException("batched and delayed notifications need the SQS client");
    }
    return sqs;
  }

  public void send(Notification notification) {
    queue.send(queueUrl, Json.write(notification));
  }

  /** SendMessageBatch takes at most this many messages a call. */
  public static final int BATCH = 10;

  /**
   * Sends many notifications, ten a call; a message the queue refuses fails the whole call, so the
   * caller's retry sends the lot again (the receivers are idempotent).
   */
  public void sendAll(List<Notification> all) {
    for (int from = 0; from < all.size(); from += BATCH) {
      List<Notification> batch = all.subList(from, Math.min(all.size(), from + BATCH));
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (Notification n : batch) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(entries.size()))
                .messageBody(Json.write(n))
                .build());
      }
      var response = batches().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      if (response.hasFailed() && !response.failed().isEmpty()) {
        throw new IllegalStateException(
            response.failed().size() + " notifications were not queued");
      }
    }
  }

  /** Sends one notification after a delay (seconds, at most 900), to pace a long job. */
  public void sendLater(Notification notification, int delaySeconds) {
    batches()
        .sendMessage(
            b ->
                b.queueUrl(queueUrl)
                    .messageBody(Json.write(notification))
                    .delaySeconds(delaySeconds));
  }
}
