package dev.custodian.erasure;

import dev.custodian.core.dynamo.BatchReader;
import dev.custodian.core.dynamo.BatchWriter;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.orders.OrderUpdates;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.core.requests.RequestStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Finds what an erasure has to delete or restrict, through each table's {@code bySubject} index
 * (keys only): order contact data and transaction records, contact messages, the exports of earlier
 * access requests, and which exports and profiles exist. Writes are only collected here, into a
 * buffer or a list, so the erasure can record its plan before anything is deleted.
 */
final class SubjectItems {

  private final DynamoDbClient dynamoDb;
  private final ErasureTables tables;

  SubjectItems(DynamoDbClient dynamoDb, ErasureTables tables) {
    this.dynamoDb = dynamoDb;
    this.tables = tables;
  }

  /** What the subject had, by data class, and the last order's time (for the restriction date). */
  static final class Plan {
    final Map<String, Long> counts = new LinkedHashMap<>();
    String latestOrder = "";

    void add(String dataClass) {
      counts.merge(dataClass, 1L, Long::sum);
    }

    long count(String dataClass) {
      return counts.getOrDefault(dataClass, 0L);
    }
  }

  /**
   * Order contact data goes; transaction records stay for tax, restricted in place (their keys are
   * collected here for {@link TransactionRestriction}).
   */
  void collectOrders(
      String subjectId,
      BatchWriter.Buffer writes,
      Plan plan,
      List<Map<String, AttributeValue>> transactions) {
    forEachPageBySubject(
        tables.orders(),
        subjectId,
        page -> {
          for (Map<String, AttributeValue> item : page) {
            Map<String, AttributeValue> key = OrderItems.primaryKey(item);
            if (OrderItems.isContact(item)) {
              plan.add("ORDER_CONTACT");
              writes.delete(tables.orders(), key);
              continue;
            }
            plan.add("TRANSACTION");
            String createdAt = OrderItems.createdAt(item);
            if (createdAt != null && createdAt.compareTo(plan.latestOrder) > 0) {
              plan.latestOrder = createdAt;
            }
            transactions.add(key);
          }
        });
  }

  void collectContactMessages(String subjectId, BatchWriter.Buffer writes, Plan plan) {
    forEachPageBySubject(
        tables.contact(),
        subjectId,
        page ->
            page.forEach(
                item -> {
                  plan.add("CONTACT_MESSAGE");
                  writes.delete(tables.contact(), Map.of("pk", item.get("pk")));
                }));
  }

  /**
   * The emails of the subject's requests, but for the erasure's own and those of requests whose
   * person is still to be told of them: those are needed for their emails, and the notifier deletes
   * each once it is sent.
   */
  void collectRequestEmails(String subjectId, String erasureRequestId, BatchWriter.Buffer writes) {
    forEachRequest(subjectId, erasureRequestId, writes, requestPk -> {});
  }

  /**
   * The exports prepared for the subject's other (access) requests; the emails of those requests
   * are collected on the way, in the same query (see {@link #collectRequestEmails}), unless {@code
   * writes} is null (the erasure's second look, {@link SubjectFootprint#stragglers}).
   */
  List<Map<String, AttributeValue>> exportKeys(
      String subjectId, String erasureRequestId, BatchWriter.Buffer writes) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    String own = "request#" + erasureRequestId;
    forEachRequest(
        subjectId,
        erasureRequestId,
        writes,
        requestPk -> {
          if (!requestPk.equals(own)) { // an erasure request has no export
            keys.add(
                Map.of(
                    "pk",
                    AttributeValue.fromS("export#" + requestPk.substring("request#".length()))));
          }
        });
    return keys;
  }

  /**
   * Each of the subject's requests; the email items of the other requests go into {@code writes}
   * (when not null), but for those whose person is still to be told of them (see {@link
   * #stillToBeTold}): the notifier deletes those once it has sent the email.
   */
  private void forEachRequest(
      String subjectId,
      String erasureRequestId,
      BatchWriter.Buffer writes,
      Consumer<String> eachRequestPk) {
    String own = PrivacyRequestItems.pk(erasureRequestId);
    List<String> others = new ArrayList<>();
    forEachPageBySubject(
        tables.requests(),
        subjectId,
        page ->
            page.forEach(
                item -> {
                  String requestPk = item.get("pk").s();
                  if (!requestPk.equals(own)) {
                    others.add(requestPk);
                  }
                  eachRequestPk.accept(requestPk);
                }));
    if (writes == null || others.isEmpty()) {
      return;
    }
    Set<String> kept = stillToBeTold(others);
    for (String requestPk : others) {
      if (!kept.contains(requestPk)) {
        writes.delete(tables.requests(), RequestEmails.keyOfRequestPk(requestPk));
      }
    }
  }

  /**
   * Of these requests, those whose person is still to be told of them: open ones, those marked as
   * not told yet, and completed ones whose key the notifier has not dropped yet (it drops it when
   * it sends the completion email) — a second erasure request of the same person, say, whose email
   * would otherwise lose its recipient. One BatchGetItem per 100 requests.
   */
  private Set<String> stillToBeTold(List<String> requestPks) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    requestPks.forEach(pk -> keys.add(Map.of("pk", AttributeValue.fromS(pk))));
    Set<String> out = new HashSet<>();
    for (Map<String, AttributeValue> item :
        new BatchReader(dynamoDb).getAll(tables.requests(), keys)) {
      PrivacyRequest read = PrivacyRequestItems.read(item);
      boolean untold =
          read.status() == RequestStatus.COMPLETED
              && item.containsKey(PrivacyRequestItems.WRAPPED_KEY);
      if ((read.status() != null && read.status().isOpen()) || read.emailPending() || untold) {
        out.add(item.get("pk").s());
      }
    }
    return out;
  }

  /**
   * Which of the exports and profiles exist (for the plan), and the transaction records as {@link
   * TransactionRestriction} needs them, in one BatchGetItem per 100 keys across the tables. The
   * keys of the parts of exports stored in parts are added to {@code exports}, to be deleted too.
   */
  List<Map<String, AttributeValue>> countExisting(
      List<Map<String, AttributeValue>> exports,
      List<Map<String, AttributeValue>> profiles,
      List<Map<String, AttributeValue>> transactionKeys,
      Plan plan) {
    plan.counts.putIfAbsent("EXPORT", 0L);
    plan.counts.putIfAbsent("SUBJECT_PROFILE", 0L);
    List<Map<String, AttributeValue>> transactions = new ArrayList<>();
    List<Map<String, AttributeValue>> parts = new ArrayList<>();
    List<Map.Entry<String, Map<String, AttributeValue>>> keys = new ArrayList<>();
    exports.forEach(k -> keys.add(Map.entry(tables.exports(), k)));
    profiles.forEach(k -> keys.add(Map.entry(tables.profiles(), k)));
    transactionKeys.forEach(k -> keys.add(Map.entry(tables.orders(), k)));
    for (int from = 0; from < keys.size(); from += 100) {
      Map<String, KeysAndAttributes> request = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, AttributeValue>> key :
          keys.subList(from, Math.min(keys.size(), from + 100))) {
        KeysAndAttributes.Builder shape =
            key.getKey().equals(tables.orders())
                ? OrderUpdates.restrictionShape()
                : KeysAndAttributes.builder()
                    .projectionExpression("pk, partCount, generation")
                    .consistentRead(true);
        request.merge(
            key.getKey(),
            shape.keys(List.of(key.getValue())).build(),
            (a, b) -> a.toBuilder().keys(concat(a.keys(), b.keys())).build());
      }
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> asked = request;
        BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(asked));
        response
            .responses()
            .forEach(
                (table, items) -> {
                  if (table.equals(tables.orders())) {
                    transactions.addAll(items);
                  } else {
                    items.forEach(
                        i -> {
                          plan.add(table.equals(tables.exports()) ? "EXPORT" : "SUBJECT_PROFILE");
                          parts.addAll(partKeys(i));
                        });
                  }
                });
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    // the parts of large exports go with their manifests (sealed under the shredded key anyway)
    if (!parts.isEmpty()) {
      exports.addAll(parts); // a mutable list: exportKeys makes one
    }
    return transactions;
  }

  /** The keys of an export's parts, when it was stored in parts (see the privacy function). */
  private static List<Map<String, AttributeValue>> partKeys(Map<String, AttributeValue> manifest) {
    if (!manifest.containsKey("partCount")) {
      return List.of();
    }
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    int count = Integer.parseInt(manifest.get("partCount").n());
    String prefix = manifest.get("pk").s() + "#" + manifest.get("generation").s() + "#";
    for (int n = 0; n < count; n++) {
      keys.add(Map.of("pk", AttributeValue.fromS(prefix + n)));
    }
    return keys;
  }

  static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The subject's items through the table's bySubject index, one page at a time. */
  private void forEachPageBySubject(
      String table, String subjectId, Consumer<List<Map<String, AttributeValue>>> eachPage) {
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder query =
          QueryRequest.builder()
              .tableName(table)
              .indexName("bySubject")
              .keyConditionExpression("subjectId = :s")
              .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(subjectId)));
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse page = dynamoDb.query(query.build());
      eachPage.accept(page.items());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
  }
}
