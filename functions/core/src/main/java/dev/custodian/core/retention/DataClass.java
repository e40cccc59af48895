package dev.custodian.core.retention;

/**
 * The classes of data Custodian holds (docs/privacy.md#retention). Each has one retention setting
 * (a template parameter) and the words that exports and docs use to describe it.
 */
public enum DataClass {
  SUBJECT_PROFILE(
      "Subject key and profile",
      "the wrapped data key of a person, the blind index of their email or account, and their"
          + " encrypted profile",
      "to recognise a returning customer and open their encrypted data",
      "contract (Art. 6(1)(b) GDPR)",
      "RETENTION_SUBJECT_INACTIVE_DAYS",
      Unit.DAYS,
      1095),
  ORDER_CONTACT(
      "Order contact data",
      "the recipient's name, shipping address, phone number and email of an order (encrypted)",
      "to deliver orders and tell customers about them",
      "contract (Art. 6(1)(b) GDPR)",
      "RETENTION_ORDER_CONTACT_DAYS",
      Unit.DAYS,
      730),
  TRANSACTION(
      "Transaction records",
      "items, amounts, dates, status and the payment provider reference of an order, without"
          + " direct identifiers in clear",
      "to keep the accounts the law requires",
      "legal obligation (Art. 6(1)(c) GDPR; tax record keeping)",
      "RETENTION_TRANSACTION_DAYS",
      Unit.DAYS,
      3650),
  CONTACT_MESSAGE(
      "Contact messages",
      "the sender and the text of a support message (encrypted)",
      "to answer support requests",
      "legitimate interest (Art. 6(1)(f) GDPR) or contract",
      "RETENTION_CONTACT_MESSAGE_DAYS",
      Unit.DAYS,
      365),
  ANALYTICS_EVENT(
      "Analytics events",
      "a pseudonymous visitor id, the page or product seen and a device class, given consent",
      "statistics about how the shop is used",
      "consent (Art. 6(1)(a) GDPR)",
      "RETENTION_ANALYTICS_EVENT_DAYS",
      Unit.DAYS,
      90),
  ANALYTICS_AGGREGATE(
      "Analytics aggregates",
      "daily counts per page type, product and event type; no personal data and no client text",
      "statistics about how the shop is used",
      "not personal data",
      "RETENTION_ANALYTICS_AGGREGATE_DAYS",
      Unit.DAYS,
      1095),
  PRIVACY_REQUEST(
      "Privacy requests",
      "the type, status, dates and outcome of a data-subject request, without the email",
      "to handle data-subject requests and prove that they were handled",
      "legal obligation (Art. 6(1)(c) GDPR; Art. 5(2) accountability)",
      "RETENTION_PRIVACY_REQUEST_DAYS",
      Unit.DAYS,
      730),
  REQUEST_EMAIL(
      "Email of a privacy request",
      "the email a data-subject request was made with (encrypted under the request's own key)",
      "to send the request's verification code and tell the person of its outcome",
      "legal obligation (Art. 12(3) GDPR: informing the person of the action taken)",
      "RETENTION_REQUEST_EMAIL_HOURS",
      Unit.HOURS,
      24),
  TOMBSTONE(
      "Erasure tombstones",
      "the random id of an erased person and the keyed hash of their email; never the email",
      "to erase a person again if a restored backup brings their data back",
      "legal obligation (Art. 17 GDPR, and Art. 5(2) accountability)",
      "RETENTION_TOMBSTONE_DAYS",
      Unit.DAYS,
      42),
  EXPORT(
      "Exports",
      "the encrypted copy of a person's data prepared for an access request",
      "to give people a copy of their data",
      "legal obligation (Art. 15 GDPR)",
      "RETENTION_EXPORT_DAYS",
      Unit.DAYS,
      7),
  AUDIT(
      "Audit trail",
      "pseudonymous records of who accessed which record, when and why; no personal data",
      "to keep a full access log of personal data",
      "legal obligation (Art. 5(2) and 32 GDPR)",
      "RETENTION_AUDIT_DAYS",
      Unit.DAYS,
      1095),
  DISCLOSURE(
      "Lawful disclosures",
      "the authority, legal basis, reference and scope of a disclosure the law requires, the"
          + " operators who asked for and approved it, and the package (sealed under the person's"
          + " key; the package itself is kept as long as an export)",
      "to answer the disclosures the law requires, and to prove what was disclosed to whom",
      "legal obligation (Art. 6(1)(c) GDPR; the law the authority names)",
      "RETENTION_DISCLOSURE_DAYS",
      Unit.DAYS,
      1095),
  CATALOGUE(
      "Catalogue",
      "the shop's products: SKU, name, unit price, currency and whether it is on sale; no personal"
          + " data",
      "to price orders and show the shop's products",
      "not personal data",
      null,
      Unit.DAYS,
      0),
  POLICY_VERSION(
      "Privacy policy versions",
      "each published version of this policy: its text, dates and summary of changes; no personal"
          + " data",
      "to show which policy applied to each record, and when",
      "not personal data",
      null,
      Unit.DAYS,
      0),
  IDEMPOTENCY(
      "Idempotency records",
      "a hash of a request's idempotency key and a reference to its outcome; no personal data",
      "to make sure a retried request takes effect once",
      "not personal data",
      "RETENTION_IDEMPOTENCY_HOURS",
      Unit.HOURS,
      24);

  enum Unit {
    DAYS,
    HOURS
  }

  private final String title;
  private final String holds;
  private final String purpose;
  private final String legalBasis;
  private final String setting;
  private final Unit unit;
  private final long defaultAmount;

  DataClass(
      String title,
      String holds,
      String purpose,
      String legalBasis,
      String setting,
      Unit unit,
      long defaultAmount) {
    this.title = title;
    this.holds = holds;
    this.purpose = purpose;
    this.legalBasis = legalBasis;
    this.setting = setting;
    this.unit = unit;
    this.defaultAmount = defaultAmount;
  }

  public String title() {
    return title;
  }

  public String holds() {
    return holds;
  }

  public String purpose() {
    return purpose;
  }

  public String legalBasis() {
    return legalBasis;
  }

  /** The environment variable that sets its retention; null for data kept indefinitely. */
  String setting() {
    return setting;
  }

  Unit unit() {
    return unit;
  }

  long defaultAmount() {
    return defaultAmount;
  }
}
