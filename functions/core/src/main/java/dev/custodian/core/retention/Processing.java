package dev.custodian.core.retention;

import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.processors.Processor;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What each data class is processed for, about whom, and how it is protected: the rest of the
 * registry's facts for the record of processing (Art. 30 GDPR) and the purpose-limitation test. The
 * switches have no default, so a new data class does not compile until it is described here.
 */
public final class Processing {

  private Processing() {}

  /** The purposes a data class may be used for; a function must share one to reach it. */
  public static Set<Purpose> purposes(DataClass dataClass) {
    return switch (dataClass) {
      case SUBJECT_PROFILE ->
          EnumSet.of(
              Purpose.ORDER_FULFILMENT,
              Purpose.SUPPORT,
              Purpose.DATA_SUBJECT_REQUEST,
              Purpose.LEGAL_OBLIGATION);
      case ORDER_CONTACT ->
          EnumSet.of(
              Purpose.ORDER_FULFILMENT, Purpose.DATA_SUBJECT_REQUEST, Purpose.LEGAL_OBLIGATION);
      case TRANSACTION ->
          EnumSet.of(
              Purpose.ORDER_FULFILMENT, Purpose.LEGAL_OBLIGATION, Purpose.DATA_SUBJECT_REQUEST);
      case CONTACT_MESSAGE ->
          EnumSet.of(Purpose.SUPPORT, Purpose.DATA_SUBJECT_REQUEST, Purpose.LEGAL_OBLIGATION);
      case ANALYTICS_EVENT -> EnumSet.of(Purpose.STATISTICS, Purpose.DATA_SUBJECT_REQUEST);
      case ANALYTICS_AGGREGATE -> EnumSet.of(Purpose.STATISTICS);
      case PRIVACY_REQUEST -> EnumSet.of(Purpose.DATA_SUBJECT_REQUEST, Purpose.LEGAL_OBLIGATION);
      case REQUEST_EMAIL, TOMBSTONE -> EnumSet.of(Purpose.DATA_SUBJECT_REQUEST);
      case EXPORT -> EnumSet.of(Purpose.DATA_SUBJECT_REQUEST, Purpose.LEGAL_OBLIGATION);
      case DISCLOSURE -> EnumSet.of(Purpose.LEGAL_OBLIGATION);
      case CATALOGUE -> EnumSet.of(Purpose.ORDER_FULFILMENT);
      // Records about the processing itself serve every purpose: each purpose's operations
      // are audited, any purpose's retried write is made idempotent, and any purpose's records
      // are stamped with the policy version in force.
      case AUDIT, IDEMPOTENCY, POLICY_VERSION -> EnumSet.allOf(Purpose.class);
    };
  }

  /** Whose data it is (Art. 30(1)(c) GDPR). */
  public static String dataSubjects(DataClass dataClass) {
    return switch (dataClass) {
      case SUBJECT_PROFILE -> "customers and account holders";
      case ORDER_CONTACT, TRANSACTION -> "customers and the recipients of their orders";
      case CONTACT_MESSAGE -> "people who write to the shop";
      case ANALYTICS_EVENT -> "visitors of the shop who consented to analytics";
      case PRIVACY_REQUEST, REQUEST_EMAIL, EXPORT, TOMBSTONE ->
          "people who make data-subject requests";
      case DISCLOSURE -> "people whose data an authority lawfully requested";
      case AUDIT -> "everyone whose data is processed (by pseudonymous id only)";
      case ANALYTICS_AGGREGATE, CATALOGUE, POLICY_VERSION, IDEMPOTENCY -> "none (no personal data)";
    };
  }

  /** The categories of personal data (Art. 30(1)(c) GDPR); empty for classes holding none. */
  public static List<String> categories(DataClass dataClass) {
    return switch (dataClass) {
      case SUBJECT_PROFILE ->
          List.of("identifiers (keyed hash of email, account id)", "name", "phone", "addresses");
      case ORDER_CONTACT -> List.of("name", "email", "phone", "postal address");
      case TRANSACTION ->
          List.of("purchase history", "amounts", "payment reference", "card's last 4 digits");
      case CONTACT_MESSAGE -> List.of("name", "email", "message text");
      case ANALYTICS_EVENT -> List.of("pseudonymous visitor id", "pages seen", "device class");
      case PRIVACY_REQUEST -> List.of("request type, status, dates and outcome");
      case REQUEST_EMAIL -> List.of("email");
      case EXPORT -> List.of("a copy of the person's data");
      case TOMBSTONE -> List.of("random subject id", "keyed hash of email");
      case DISCLOSURE -> List.of("the disclosed records, as the scope names them");
      case AUDIT -> List.of("pseudonymous ids of people, operators and records");
      case ANALYTICS_AGGREGATE, CATALOGUE, POLICY_VERSION, IDEMPOTENCY -> List.of();
    };
  }

  /** How the class is protected beyond the tables' encryption at rest with the project key. */
  public static String sealing(DataClass dataClass) {
    return switch (dataClass) {
      case SUBJECT_PROFILE ->
          "profile fields sealed with AES-256-GCM under the person's own data key; the key"
              + " wrapped by KMS (crypto-shredded at erasure)";
      case ORDER_CONTACT, CONTACT_MESSAGE, EXPORT ->
          "sealed with AES-256-GCM under the person's own data key (crypto-shredded at erasure)";
      case DISCLOSURE ->
          "the package sealed under the person's own data key and readable only after a second"
              + " operator's approval; the request names the person by pseudonymous id only";
      case TRANSACTION ->
          "payment reference sealed under the person's own data key; no direct identifier in"
              + " clear; restricted, not deleted, at erasure";
      case REQUEST_EMAIL -> "sealed under the request's own data key";
      case ANALYTICS_EVENT -> "visitor id pseudonymised with a keyed HMAC; no IP, no user agent";
      case TOMBSTONE -> "keyed hash only (no email)";
      case AUDIT -> "append-only: functions may put records, never update or delete them";
      case PRIVACY_REQUEST -> "codes and tokens stored as keyed hashes only";
      case ANALYTICS_AGGREGATE, CATALOGUE, POLICY_VERSION, IDEMPOTENCY -> "no personal data";
    };
  }

  /** The processors of the register that receive the class (Art. 30(1)(d) GDPR). */
  public static List<Processor> processors(DataClass dataClass) {
    return switch (dataClass) {
      case ORDER_CONTACT ->
          List.of(Processor.LOGISTICS, Processor.EMAIL_DELIVERY, Processor.HOSTING);
      case TRANSACTION -> List.of(Processor.PAYMENT, Processor.HOSTING);
      case CONTACT_MESSAGE, REQUEST_EMAIL -> List.of(Processor.EMAIL_DELIVERY, Processor.HOSTING);
      case SUBJECT_PROFILE,
          ANALYTICS_EVENT,
          ANALYTICS_AGGREGATE,
          PRIVACY_REQUEST,
          EXPORT,
          TOMBSTONE,
          DISCLOSURE,
          AUDIT,
          CATALOGUE,
          POLICY_VERSION,
          IDEMPOTENCY ->
          List.of(Processor.HOSTING);
    };
  }

  /** Recipients other than processors: public authorities, when the law requires it. */
  public static List<String> otherRecipients(DataClass dataClass) {
    return switch (dataClass) {
      case SUBJECT_PROFILE, ORDER_CONTACT, TRANSACTION, CONTACT_MESSAGE ->
          List.of(
              "public authorities, when the law requires it: only the scope they name, after a"
                  + " second operator's approval (POST /admin/disclosures)");
      default -> List.of();
    };
  }
}
