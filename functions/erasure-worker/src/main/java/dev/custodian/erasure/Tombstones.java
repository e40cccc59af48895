package dev.custodian.erasure;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.dynamo.BatchWriter;
import dev.custodian.core.log.Log;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The tombstones of erased subjects: the blind index of the email and the subject id, never the
 * email. A tombstone outlives the data tables' backups (its table is never restored), so erasure
 * can be re-applied after a restore; then it expires, since nothing could bring the person back any
 * more.
 */
final class Tombstones {

  /** Tombstones re-applied by one invocation: each costs about seven calls. */
  static final int REAPPLY_SLICE = 25;

  private final PrivacyCore core;
  private final ErasureTables tables;
  private final SubjectItems items;
  private final BatchWriter batches;
  private final TransactionRestriction restriction;

  Tombstones(PrivacyCore core, ErasureTables tables, TransactionRestriction restriction) {
    this.core = core;
    this.tables = tables;
    this.items = new SubjectItems(core.dynamoDb(), tables);
    this.batches = new BatchWriter(core.dynamoDb());
    this.restriction = restriction;
  }

  /** The tombstone of the subject of an erasure request (and of its account's subject). */
  Map<String, AttributeValue> of(String subjectId, Map<String, AttributeValue> request) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.fromS("subject#" + subjectId));
    item.put("subjectId", AttributeValue.fromS(subjectId));
    if (request.containsKey(PrivacyRequestItems.EMAIL_INDEX)) {
      item.put("emailIndex", request.get(PrivacyRequestItems.EMAIL_INDEX));
    }
    // The account of the person too: a restored profile is keyed by the account's subject.
    if (request.containsKey(PrivacyRequestItems.ACCOUNT_SUBJECT_ID)) {
      item.put("accountSubjectId", request.get(PrivacyRequestItems.ACCOUNT_SUBJECT_ID));
    }
    Instant now = core.clock().instant();
    item.put("erasedAt", AttributeValue.fromS(now.toString()));
    item.put(
        RetentionRegistry.EXPIRES_AT,
        core.retention().expiresAtAttribute(DataClass.TOMBSTONE, now));
    return item;
  }

  /**
   * After a restore: erases again everything of the erased subjects of one slice of tombstones —
   * those after the tombstone {@code after} (from the first when null) — and answers the last one
   * done when more remain. For each subject (the request's and its account's) that is what the
   * erasure itself deletes or restricts: order contact data, contact messages, the emails and
   * exports of its requests and its profile go, transaction records are restricted, and the key is
   * shredded again should a key store ever have been rolled back. A slice is bounded, so an
   * invocation's work and time do not grow with the number of erasures; the slices run in turn,
   * each continued by the next queue message.
   */
  Optional<String> reapply(String after) {
    ScanRequest.Builder scan =
        ScanRequest.builder().tableName(tables.tombstones()).limit(REAPPLY_SLICE);
    if (after != null) {
      scan.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(after)));
    }
    ScanResponse page = core.dynamoDb().scan(scan.build());
    for (Map<String, AttributeValue> tombstone : page.items()) {
      reapplyOne(tombstone);
    }
    Optional<String> next =
        page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
            ? Optional.of(page.lastEvaluatedKey().get("pk").s())
            : Optional.empty();
    Log.info("tombstones re-applied", "count", page.items().size(), "more", next.isPresent());
    return next;
  }

  private void reapplyOne(Map<String, AttributeValue> tombstone) {
    List<String> subjects = new ArrayList<>(List.of(tombstone.get("subjectId").s()));
    if (tombstone.containsKey("accountSubjectId")) {
      subjects.add(tombstone.get("accountSubjectId").s());
    }
    BatchWriter.Buffer writes = batches.buffer();
    SubjectItems.Plan found = new SubjectItems.Plan();
    Map<String, List<Map<String, AttributeValue>>> transactions = new LinkedHashMap<>();
    for (String subjectId : subjects) {
      items.collectOrders(
          subjectId,
          writes,
          found,
          transactions.computeIfAbsent(subjectId, s -> new ArrayList<>()));
      items.collectContactMessages(subjectId, writes, found);
      // no erasure request of its own to spare: every request's email goes
      items.exportKeys(subjectId, null, writes).forEach(k -> writes.delete(tables.exports(), k));
      writes.delete(tables.profiles(), SubjectFootprint.profileKey(subjectId));
    }
    writes.flush();
    transactions.forEach((subjectId, records) -> restriction.restrict(subjectId, records, null));
    subjects.forEach(core.directory()::shred);
  }
}
