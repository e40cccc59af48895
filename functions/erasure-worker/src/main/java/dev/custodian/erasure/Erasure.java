package dev.custodian.erasure;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Erases one data subject (docs/privacy.md#erasure) in as few DynamoDB calls as the data allows:
 * one call takes the lease and reads the request ({@link ErasureLease}); the subject's items are
 * found by query ({@link SubjectFootprint}); the plan — how many items of each class — is recorded
 * on the request before anything is deleted, so a crash cannot lose the count ({@link
 * ErasurePlan}); then every delete goes out in BatchWriteItem calls of 25 across tables, with the
 * tombstone ({@link Tombstones}); the transaction records, kept for tax, are restricted in place
 * ({@link TransactionRestriction}); the subject key is shredded, and what was written for the
 * subject meanwhile is found and erased as well ({@link SubjectFootprint#stragglers}); and the
 * request is completed with its report and one audit record in one transaction ({@link
 * ErasureReport}). Every write is idempotent, so a redelivered or resumed message finishes the job
 * once: a resumed run finds only what is left and reports the recorded plan.
 */
final class Erasure {

  private final PrivacyCore core;
  private final ErasureTables tables;
  private final ErasureLease lease;
  private final SubjectFootprint footprint;
  private final TransactionRestriction restriction;
  private final Tombstones tombstones;
  private final ErasureReport report;

  Erasure(
      PrivacyCore core,
      ErasureTables tables,
      RequestKeys requestKeys,
      BlindIndex pseudonyms,
      Notifications notifications,
      String functionName) {
    this.core = core;
    this.tables = tables;
    this.lease = new ErasureLease(core, tables.requests());
    this.footprint = new SubjectFootprint(core.dynamoDb(), tables, requestKeys, pseudonyms);
    this.restriction = new TransactionRestriction(core.dynamoDb(), tables.orders());
    this.tombstones = new Tombstones(core, tables, restriction);
    this.report = new ErasureReport(core, tables.requests(), notifications, functionName);
  }

  /** Thrown when another delivery of the same request holds the lease. */
  static final class Busy extends RuntimeException {
    Busy() {
      super("another delivery is erasing this subject", null, false, false);
    }
  }

  /**
   * Erases the request's subject; a null subject is an address that is not known (a request is
   * verified before anyone looks): then only the visitor ids given are erased, and the report says
   * that nothing else is held.
   */
  void erase(String requestId, String subjectId) {
    Optional<ErasureLease.Held> held = lease.take(requestId, subjectId);
    if (held.isEmpty()) {
      Log.info("erasure already complete", "requestId", requestId);
      return;
    }
    Map<String, AttributeValue> item = held.get().item();
    PrivacyRequest request = held.get().request();
    SubjectFootprint.Found found = footprint.find(requestId, subjectId, item);
    ErasurePlan plan;
    List<Map<String, AttributeValue>> transactionRecords = null;
    if (request.isPlanned()) {
      plan = ErasurePlan.recorded(request);
    } else {
      transactionRecords = footprint.countExisting(found);
      plan = ErasurePlan.of(found.counted, core.retention());
      core.dynamoDb()
          .updateItem(
              PrivacyRequestItems.erasurePlan(
                  tables.requests(),
                  requestId,
                  held.get().owner(),
                  plan.counts(),
                  plan.restrictedUntil()));
    }
    footprint.deleteExportsAndProfiles(found);
    if (subjectId != null) {
      found.writes.put(tables.tombstones(), tombstones.of(subjectId, item));
    }
    found.writes.flush();
    restriction.restrict(subjectId, found.transactions, transactionRecords);
    // The link from the address to its accounts goes with the person's own key, in one call.
    String link = subjectId != null ? request.emailIndex() : null;
    for (String subject : found.subjects) {
      core.directory().shred(subject, subject.equals(subjectId) ? link : null);
    }
    if (subjectId != null) {
      plan = eraseStragglers(requestId, subjectId, plan);
    }
    report.complete(requestId, subjectId, held.get().owner(), plan);
  }

  /**
   * Erases what was written for the subject between the first look and the shred; the report counts
   * it with the plan (the plan recorded on the request does not: a run that crashes after this and
   * is resumed reports the recorded plan alone).
   */
  private ErasurePlan eraseStragglers(String requestId, String subjectId, ErasurePlan plan) {
    SubjectFootprint.Found late = footprint.stragglers(requestId, subjectId);
    List<Map<String, AttributeValue>> records = footprint.countExisting(late);
    footprint.deleteExportsAndProfiles(late);
    if (late.writes.size() > 0 || !late.transactions.isEmpty()) {
      Log.info("erasing what was written during the erasure", "requestId", requestId);
    }
    late.writes.flush();
    restriction.restrict(subjectId, late.transactions, records);
    return plan.plus(late.counted, core.retention());
  }

  /** After a restore: re-applies one slice of tombstones (see {@link Tombstones#reapply}). */
  Optional<String> reapplyTombstones(String after) {
    return tombstones.reapply(after);
  }
}
