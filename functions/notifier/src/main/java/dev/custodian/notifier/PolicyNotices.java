package dev.custodian.notifier;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.Disclosure;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.notify.Notifications.Notification;
import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.core.policy.AccountNotices;
import dev.custodian.core.policy.PolicyVersion;
import dev.custodian.core.policy.PolicyVersions;
import dev.custodian.core.processors.Processor;
import dev.custodian.core.retention.DataClass;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The emails of a material policy change, sent through the notification queue in two steps. A page
 * message ({@link Template#POLICY_NOTICES}) reads one scan page of the account profiles and queues
 * one notice per account not yet told, ten to a call, then the next page a little later (so the
 * notices trickle in among the other emails instead of crowding out verification codes). A notice
 * ({@link Template#POLICY_NOTICE}) claims the account's mark for the version, then sends; a failed
 * send releases the mark for the retry. A redelivered page queues its notices again and the marks
 * turn the repeats away: each account hears once per version, however the job is interrupted.
 */
final class PolicyNotices {

  /** Profiles read per page. */
  static final int PAGE = 50;

  /** Seconds between two pages: about 50 notices every 10 seconds. */
  static final int PACE_SECONDS = 10;

  private final PrivacyCore core;
  private final PolicyVersions versions;
  private final AccountNotices accounts;
  private final Notifications queue;
  private final SesMail ses;
  private final String sender;
  private final String policyUrl;

  PolicyNotices(
      PrivacyCore core,
      PolicyVersions versions,
      AccountNotices accounts,
      Notifications queue,
      SesMail ses,
      String sender,
      String policyUrl) {
    this.policyUrl = policyUrl;
    this.core = core;
    this.versions = versions;
    this.accounts = accounts;
    this.queue = queue;
    this.ses = ses;
    this.sender = sender;
  }

  static boolean handles(Template template) {
    return template == Template.POLICY_NOTICES || template == Template.POLICY_NOTICE;
  }

  void handle(Notification notification) {
    Optional<PolicyVersion> version =
        versions.get(notification.recordId()).filter(PolicyVersion::material);
    if (version.isEmpty()) {
      Log.info("no material policy version to announce", "version", notification.recordId());
      return;
    }
    if (notification.template() == Template.POLICY_NOTICES) {
      page(version.get(), notification.subjectId());
    } else {
      notice(version.get(), notification.subjectId());
    }
  }

  private void page(PolicyVersion version, String startAfter) {
    Instant now = core.clock().instant();
    AccountNotices.Page page = accounts.page(version.version(), startAfter, PAGE, now);
    List<Notification> notices =
        page.subjectIds().stream()
            .map(subject -> new Notification(Template.POLICY_NOTICE, subject, version.version()))
            .toList();
    queue.sendAll(notices);
    page.next()
        .ifPresent(
            next ->
                queue.sendLater(
                    new Notification(Template.POLICY_NOTICES, next, version.version()),
                    PACE_SECONDS));
    Log.info(
        "policy notices page queued",
        "version",
        version.version(),
        "notices",
        notices.size(),
        "more",
        page.next().isPresent());
  }

  private void notice(PolicyVersion version, String subjectId) {
    if (subjectId == null) {
      throw new IllegalArgumentException("a policy notice names its account");
    }
    if (!accounts.claim(subjectId, version.version(), core.clock().instant())) {
      Log.info("policy notice sent before, or no account", "version", version.version());
      return;
    }
    try {
      Optional<String> address;
      try {
        address = accounts.email(core.keyring(), subjectId);
      } catch (SubjectErasedException | FieldSealer.SealBrokenException gone) {
        address = Optional.empty();
      }
      if (address.isEmpty()) {
        return;
      }
      Emails.Email email = Emails.policyNotice(version, policyUrl);
      ses.send(sender, address.get(), email.subject(), email.body());
      Log.info("policy notice sent", "version", version.version());
      recordDisclosure(version, subjectId);
    } catch (RuntimeException e) {
      accounts.release(subjectId, version.version());
      throw e;
    }
  }

  /**
   * The account's address went to the email delivery processor (docs/privacy.md#processors): listed
   * in the person's export like every other email. After the send and never failing it, as the
   * notifier's other emails do: a resend would be worse than a missing line (logged for an
   * operator).
   */
  private void recordDisclosure(PolicyVersion version, String subjectId) {
    try {
      core.audit()
          .record(
              new Disclosure(
                  Actor.function("notifier"),
                  Processor.EMAIL_DELIVERY.auditName(),
                  Purpose.LEGAL_OBLIGATION,
                  DataClass.SUBJECT_PROFILE.legalBasis(),
                  List.of(DataClass.SUBJECT_PROFILE),
                  "policy#" + version.version(),
                  List.of("policy#" + version.version()),
                  subjectId,
                  null,
                  null,
                  Outcome.SUCCESS));
    } catch (RuntimeException e) {
      Log.failure("policy notice disclosure not recorded", e, "version", version.version());
    }
  }
}
