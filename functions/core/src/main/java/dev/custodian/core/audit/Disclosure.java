package dev.custodian.core.audit;

import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.retention.DataClass;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One disclosure of personal data (docs/privacy.md#processors): to whom, why, on which legal basis,
 * which classes of which records, and when the person may learn of it. Kept in the audit trail as a
 * {@code DISCLOSE} record, so it is as append-only as the rest; the person's export lists it (Art.
 * 15(1)(c) GDPR).
 *
 * @param recipient a processor's audit name ({@code logistics}) or the authority's name; never a
 *     person's
 * @param records the ids of the records disclosed (order ids, ticket ids); {@code recordId} is the
 *     disclosure's own reference
 * @param visibleFrom when the person's export may show it (a legal non-disclosure period), null at
 *     once
 * @param outcome FAILED when the disclosure happened but needs an operator (a flagged payment)
 */
public record Disclosure(
    Actor actor,
    String recipient,
    Purpose purpose,
    String legalBasis,
    List<DataClass> dataClasses,
    String recordId,
    List<String> records,
    String subjectId,
    Instant visibleFrom,
    String requestId,
    AuditRecord.Outcome outcome) {

  public Disclosure {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(legalBasis, "legalBasis");
    AuditRecord.requirePseudonymous("recipient", recipient);
    dataClasses = List.copyOf(dataClasses);
    records = List.copyOf(records);
    records.forEach(r -> AuditRecord.requirePseudonymous("record", r));
    if (dataClasses.isEmpty()) {
      throw new IllegalArgumentException("A disclosure names the classes it disclosed");
    }
  }

  /** The audit record it is kept as. */
  AuditRecord asAuditRecord() {
    return new AuditRecord(
        actor,
        AuditRecord.Action.DISCLOSE,
        dataClasses.get(0),
        recordId,
        subjectId,
        purpose,
        outcome,
        requestId);
  }

  /** A disclosure as a person's export shows it. */
  public record Shown(
      String at,
      String recipient,
      String purpose,
      String legalBasis,
      List<String> dataClasses,
      String recordId,
      List<String> records) {}
}
