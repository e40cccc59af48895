package dev.custodian.notifier;

import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.core.policy.PolicyVersion;

/** The words of each email. They name records by id and never repeat personal data. */
final class Emails {

  private Emails() {}

  record Email(String subject, String body) {}

  static Email render(Template template, String recordId, String secret) {
    return switch (template) {
      case VERIFICATION_CODE ->
          new Email(
              "Your verification code",
              "Someone asked us to act on the personal data we hold for this email address"
                  + " (request "
                  + recordId
                  + ").\n\nYour code is "
                  + secret
                  + ". It is valid for 10 minutes and can be used once.\n\n"
                  + "If this was not you, ignore this email: nothing will happen.");
      case NO_DATA_HELD ->
          new Email(
              "Your privacy request",
              "We received a request ("
                  + recordId
                  + ") about the personal data we hold for this"
                  + " email address. We hold no personal data about it, so there is nothing to"
                  + " show, correct or erase. The request is complete.");
      case REQUEST_RECEIVED ->
          new Email("We received your privacy request", "Request " + recordId + " is in progress.");
      case REQUEST_COMPLETED ->
          new Email(
              "Your privacy request is complete",
              "Request "
                  + recordId
                  + " is complete. You can see its outcome with your request token.");
      case REQUEST_EXTENDED ->
          new Email(
              "Your privacy request needs more time",
              "Request "
                  + recordId
                  + " has been extended; its status shows the reason and the new"
                  + " due date.");
      case REQUEST_DENIED ->
          new Email(
              "Your privacy request was declined",
              "Request " + recordId + " was declined; its status shows the reason.");
      case ORDER_RECEIVED ->
          new Email("We received your order", "Thank you: order " + recordId + " is received.");
      case POLICY_NOTICES, POLICY_NOTICE ->
          throw new IllegalArgumentException("policy notices are written by policyNotice");
      case CONTACT_RECEIPT ->
          new Email(
              "We received your message",
              "Thank you for writing to us. Your ticket is "
                  + recordId
                  + "; we will answer as soon as we can.");
    };
  }

  /** A material change of the privacy policy: what changes and from when; no personal data. */
  static Email policyNotice(PolicyVersion version, String policyUrl) {
    return new Email(
        "Our privacy policy is changing",
        "We are updating our privacy policy. Version "
            + version.version()
            + " takes effect on "
            + version.effectiveFrom()
            + ".\n\nWhat changes:\n"
            + version.summaryOfChanges()
            + "\n\nYou can read the new text, and every earlier version, at "
            + policyUrl
            + " . You receive this email because you have an account with us.");
  }
}
