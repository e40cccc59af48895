package dev.custodian.core.notify;

import dev.custodian.core.json.Json;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

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
    CONTACT_RECEIPT
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

  private final SqsClient sqs;
  private final String queueUrl;

  public Notifications(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  public void send(Notification notification) {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Json.write(notification)));
  }
}
