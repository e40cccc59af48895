package dev.custodian.core.processors;

/**
 * The processors Custodian discloses personal data to or receives it from, each with exactly what
 * it gets. A new disclosure starts here: add or widen an entry, then the code that makes it.
 */
public enum Processor {
  LOGISTICS(
      "Logistics (carrier)",
      "to deliver orders",
      "the recipient's name, phone and shipping address, and the order's items (no email, no"
          + " prices, no payment data)",
      "orders: OrderViews.fulfilment (GET /admin/orders/{orderId}/fulfilment), audited as a"
          + " disclosure"),
  PAYMENT(
      "Payment service provider",
      "to take and confirm payments",
      "from the shop's checkout, the order id and its amount and currency (never the customer's"
          + " identity from Custodian; card data goes to the provider only and never enters"
          + " Custodian); it sends back the outcome, its payment reference and the card's last 4"
          + " digits",
      "orders: PaymentService.receive (POST /payments/events, the provider's signed webhook),"
          + " audited as a disclosure from the processor"),
  EMAIL_DELIVERY(
      "Email delivery (Amazon SES)",
      "to send verification codes, receipts and request outcomes",
      "the recipient's email address and the message text",
      "notifier: the SQS consumer that calls SES (the queue carries ids only), each send"
          + " audited as a disclosure"),
  HOSTING(
      "Hosting (Amazon Web Services)",
      "to run Custodian and store its data",
      "everything Custodian holds, encrypted at rest with the shop's KMS key and direct"
          + " identifiers sealed under each person's own key",
      "template.yaml: Lambda, DynamoDB, KMS, SQS, SES and CloudWatch in the shop's account");

  private final String title;
  private final String purpose;
  private final String receives;
  private final String where;

  Processor(String title, String purpose, String receives, String where) {
    this.title = title;
    this.purpose = purpose;
    this.receives = receives;
    this.where = where;
  }

  public String title() {
    return title;
  }

  public String purpose() {
    return purpose;
  }

  public String receives() {
    return receives;
  }

  /** Where in the code the disclosure happens. */
  public String where() {
    return where;
  }

  /** The name audit records use for the processor (pseudonymous, stable). */
  public String auditName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The register as the Markdown table docs/privacy.md shows. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder();
    out.append("| Processor | Purpose | Receives | Where in the code |\n");
    out.append("|---|---|---|---|\n");
    for (Processor p : values()) {
      out.append("| ")
          .append(p.title)
          .append(" | ")
          .append(p.purpose)
          .append(" | ")
          .append(p.receives)
          .append(" | ")
          .append(p.where)
          .append(" |\n");
    }
    return out.toString();
  }
}
