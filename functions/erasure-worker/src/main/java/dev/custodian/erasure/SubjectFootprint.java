package dev.custodian.erasure;

import dev.custodian.core.analytics.VisitorPseudonyms;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.dynamo.BatchWriter;
import dev.custodian.core.dynamo.Partitions;
import dev.custodian.core.requests.PrivacyRequestItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a person has where, for their erasure request: order contact data and transaction records,
 * contact messages, the analytics events of the visitor ids they gave, the exports and emails of
 * their other requests, and their profiles — for the request's subject and, for an account's
 * request, the account's own subject. The deletes are collected, not sent, so that the erasure can
 * record its plan first; the keys of one person's items are held in memory meanwhile.
 */
final class SubjectFootprint {

  private final DynamoDbClient dynamoDb;
  private final ErasureTables tables;
  private final SubjectItems items;
  private final BatchWriter batches;
  private final RequestKeys requestKeys;
  private final BlindIndex pseudonyms;

  SubjectFootprint(
      DynamoDbClient dynamoDb,
      ErasureTables tables,
      RequestKeys requestKeys,
      BlindIndex pseudonyms) {
    this.dynamoDb = dynamoDb;
    this.tables = tables;
    this.items = new SubjectItems(dynamoDb, tables);
    this.batches = new BatchWriter(dynamoDb);
    this.requestKeys = requestKeys;
    this.pseudonyms = pseudonyms;
  }

  /**
   * One person's footprint: the deletes collected (not sent yet), what was counted on the way, the
   * transaction records' keys, and the exports and profiles that may exist.
   */
  static final class Found {
    final List<String> subjects;
    final BatchWriter.Buffer writes;
    final SubjectItems.Plan counted = new SubjectItems.Plan();
    final List<Map<String, AttributeValue>> transactions = new ArrayList<>();
    final List<Map<String, AttributeValue>> profiles = new ArrayList<>();
    List<Map<String, AttributeValue>> exports = new ArrayList<>();

    private Found(List<String> subjects, BatchWriter.Buffer writes) {
      this.subjects = subjects;
      this.writes = writes;
    }
  }

  /**
   * Finds what the request's person has; a null subject is an address that is not known, whose
   * visitor ids alone are looked for.
   */
  Found find(String requestId, String subjectId, Map<String, AttributeValue> request) {
    Found found =
        new Found(subjectId == null ? List.of() : subjects(subjectId, request), batches.buffer());
    if (subjectId != null) {
      items.collectOrders(subjectId, found.writes, found.counted, found.transactions);
      items.collectContactMessages(subjectId, found.writes, found.counted);
    }
    collectAnalytics(requestId, request, found);
    // No request of the person keeps an email that outlives them (found with the exports).
    if (subjectId != null) {
      found.exports = items.exportKeys(subjectId, requestId, found.writes);
    }
    for (String subject :
        found.subjects.subList(Math.min(1, found.subjects.size()), found.subjects.size())) {
      items.collectRequestEmails(subject, requestId, found.writes);
    }
    for (String subject : found.subjects) {
      found.profiles.add(profileKey(subject));
    }
    return found;
  }

  /**
   * A second look, after the subject's key is shredded, for what a writer added while the erasure
   * ran: an order placed, a message sent or an export published between the first look and the
   * shred (docs/privacy.md#erasure). Every such write commits only while the key or the email's
   * lookup exists (OrderPlacement and ContactService through SubjectDirectory#resolveEmail, the
   * export through SubjectKeyring#keyStillHeld), so after the shred nothing can be added and this
   * look closes the window. Three queries when nothing appeared.
   */
  Found stragglers(String requestId, String subjectId) {
    Found late = new Found(List.of(subjectId), batches.buffer());
    items.collectOrders(subjectId, late.writes, late.counted, late.transactions);
    items.collectContactMessages(subjectId, late.writes, late.counted);
    late.exports = items.exportKeys(subjectId, requestId, null);
    return late;
  }

  /**
   * Counts which exports and profiles exist, and reads the transaction records as their restriction
   * needs them (see {@link SubjectItems#countExisting}).
   */
  List<Map<String, AttributeValue>> countExisting(Found found) {
    return items.countExisting(found.exports, found.profiles, found.transactions, found.counted);
  }

  /** Adds the deletes of the exports and profiles to those collected. */
  void deleteExportsAndProfiles(Found found) {
    found.exports.forEach(key -> found.writes.delete(tables.exports(), key));
    found.profiles.forEach(key -> found.writes.delete(tables.profiles(), key));
  }

  static Map<String, AttributeValue> profileKey(String subjectId) {
    return Map.of("pk", AttributeValue.fromS("profile#" + subjectId));
  }

  /** The request's subject and, for an account's request, the account's own subject. */
  private static List<String> subjects(String subjectId, Map<String, AttributeValue> request) {
    return request.containsKey(PrivacyRequestItems.ACCOUNT_SUBJECT_ID)
        ? List.of(subjectId, request.get(PrivacyRequestItems.ACCOUNT_SUBJECT_ID).s())
        : List.of(subjectId);
  }

  /** The analytics events of the visitor ids the person gave with the request. */
  private void collectAnalytics(
      String requestId, Map<String, AttributeValue> request, Found found) {
    for (String visitor : visitorPseudonyms(requestId, request)) {
      Partitions.keys(
          dynamoDb,
          tables.analyticsEvents(),
          "visitor#" + visitor,
          page ->
              page.forEach(
                  key -> {
                    if (key.get("sk").s().startsWith("event#")) {
                      found.counted.add("ANALYTICS_EVENT");
                    }
                    found.writes.delete(tables.analyticsEvents(), key);
                  }));
    }
  }

  private List<String> visitorPseudonyms(String requestId, Map<String, AttributeValue> request) {
    List<String> out = new ArrayList<>();
    if (!request.containsKey(PrivacyRequestItems.VISITOR_IDS)
        || !request.containsKey(PrivacyRequestItems.WRAPPED_KEY)) {
      return out;
    }
    for (String visitorId :
        requestKeys.visitorIds(
            requestId,
            request.get(PrivacyRequestItems.WRAPPED_KEY).b(),
            request.get(PrivacyRequestItems.VISITOR_IDS).l())) {
      out.add(VisitorPseudonyms.of(pseudonyms, visitorId));
    }
    return out;
  }
}
