package dev.custodian.erasure;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.dynamo.BatchWriter;
import dev.custodian.core.dynamo.Partitions;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import dev.custodian.core.log.Metrics;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.requests.RequestOutcomes;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Erases one data subject (DESIGN §4, §6) in as few DynamoDB calls as the data allows: one call
 * takes the lease and reads the request; the subject's items are found by query (orders, contact
 * messages, the analytics events of the visitor ids given, exports, the account profile); the plan
 * — how many items of each class — is recorded on the request before anything is deleted, so a
 * crash cannot lose the count; then every delete goes out in BatchWriteItem calls of 25 across
 * tables, with the tombstone; the transaction records, kept for tax, are restricted in place
 * ({@link TransactionRestriction}); the subject key is shredded; and the request is completed with
 * its report and one audit record in one transaction. Every write is idempotent, so a redelivered
 * or resumed message finishes the job once: a resumed run finds only what is left and reports the
 * recorded plan. The keys of one subject's items are held in memory between the queries and the
 * writes.
 */
final class Erasure {

  private static final Duration LEASE = Duration.ofMinutes(5);

  /** Tombstones re-applied by one invocation: each costs about seven calls. */
  static final int REAPPLY_SLICE = 25;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> DELETED_CLASSES =
      List.of("ORDER_CONTACT", "CONTACT_MESSAGE", "ANALYTICS_EVENT", "EXPORT", "SUBJECT_PROFILE");

  private final PrivacyCore core;
  private final ErasureTables tables;
  private final RequestKeys requestKeys;
  private final BlindIndex pseudonyms;
  private final Notifications notifications;
  private final BatchWriter batches;
  private final SubjectItems items;
  private final TransactionRestriction restriction;
  private final String functionName;

  Erasure(
      PrivacyCore core,
      ErasureTables tables,
      RequestKeys requestKeys,
      BlindIndex pseudonyms,
      Notifications notifications,
      String functionName) {
    this.core = core;
    this.tables = tables;
    this.requestKeys = requestKeys;
    this.pseudonyms = pseudonyms;
    this.notifications = notifications;
    this.batches = new BatchWriter(core.dynamoDb());
    this.items = new SubjectItems(core.dynamoDb(), tables);
    this.restriction = new TransactionRestriction(core.dynamoDb(), tables.orders());
    this.functionName = functionName;
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
    String owner = HexFormat.of().formatHex(bytes(8));
    Map<String, AttributeValue> request = lease(requestId, subjectId, owner);
    if (request == null) {
      Log.info("erasure already complete", "requestId", requestId);
      return;
    }
    boolean known = subjectId != null;
    boolean planned = request.containsKey("planned_ORDER_CONTACT");
    List<String> subjects = known ? subjects(subjectId, request) : List.of();
    BatchWriter.Buffer writes = batches.buffer();
    SubjectItems.Plan found = new SubjectItems.Plan();
    List<Map<String, AttributeValue>> transactions = new ArrayList<>();
    if (known) {
      items.collectOrders(subjectId, writes, found, transactions);
      items.collectContactMessages(subjectId, writes, found);
    }
    collectAnalytics(requestId, request, writes, found);
    // No request of the person keeps an email that outlives them (found with the exports).
    List<Map<String, AttributeValue>> exports =
        known ? items.exportKeys(subjectId, requestId, writes) : new ArrayList<>();
    for (String subject : subjects.subList(Math.min(1, subjects.size()), subjects.size())) {
      items.collectRequestEmails(subject, requestId, writes);
    }
    List<Map<String, AttributeValue>> profiles = new ArrayList<>();
    for (String subject : subjects) {
      profiles.add(Map.of("pk", AttributeValue.fromS("profile#" + subject)));
    }
    String restrictedUntil;
    Map<String, Long> counts;
    List<Map<String, AttributeValue>> transactionRecords = null;
    if (planned) {
      counts = new LinkedHashMap<>();
      for (String dataClass : DELETED_CLASSES) {
        counts.put(dataClass, number(request, "planned_" + dataClass));
      }
      counts.put("TRANSACTION", number(request, "planned_TRANSACTION"));
      restrictedUntil = s(request, "restrictedUntil");
    } else {
      transactionRecords = items.countExisting(exports, profiles, transactions, found);
      restrictedUntil = restrictedUntil(found.latestOrder);
      recordPlan(requestId, owner, found, restrictedUntil);
      counts = found.counts;
    }
    exports.forEach(key -> writes.delete(tables.exports(), key));
    profiles.forEach(key -> writes.delete(tables.profiles(), key));
    if (known) {
      writes.put(tables.tombstones(), tombstone(subjectId, request));
    }
    writes.flush();
    restriction.restrict(subjectId, transactions, transactionRecords);
    // The link from the address to its accounts goes with the person's own key, in one call.
    String link = known && request.containsKey("emailIndex") ? s(request, "emailIndex") : null;
    for (String subject : subjects) {
      core.directory().shred(subject, subject.equals(subjectId) ? link : null);
    }
    complete(requestId, subjectId, owner, counts, restrictedUntil);
  }

  /**
   * Takes the request's lease and reads it, in one call. Null when the request is complete; {@link
   * Busy} while another delivery holds the lease.
   */
  private Map<String, AttributeValue> lease(String requestId, String subjectId, String owner) {
    Instant now = core.clock().instant();
    try {
      return core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(tables.requests())
                      .key(requestKey(requestId))
                      .conditionExpression(
                          "#type = :erasure AND "
                              + (subjectId == null
                                  ? "attribute_not_exists(subjectId)"
                                  : "subjectId = :subject")
                              + " AND #status <> :completed"
                              + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)")
                      .updateExpression("SET leaseOwner = :owner, leaseUntil = :until")
                      .expressionAttributeNames(Map.of("#type", "type", "#status", "status"))
                      .expressionAttributeValues(leaseValues(subjectId, owner, now))
                      .returnValues(ReturnValue.ALL_NEW)
                      .returnValuesOnConditionCheckFailure(
                          ReturnValuesOnConditionCheckFailure.ALL_OLD))
          .attributes();
    } catch (ConditionalCheckFailedException refused) {
      Map<String, AttributeValue> request =
          refused.hasItem() && !refused.item().isEmpty() ? refused.item() : loadRequest(requestId);
      if (request == null || request.isEmpty()) {
        throw new IllegalArgumentException("unknown erasure request");
      }
      if (!"ERASURE".equals(s(request, "type"))
          || !java.util.Objects.equals(subjectId, s(request, "subjectId"))) {
        throw new IllegalArgumentException("the message does not match its request");
      }
      if ("COMPLETED".equals(s(request, "status"))) {
        return null;
      }
      throw new Busy();
    }
  }

  private static Map<String, AttributeValue> leaseValues(
      String subjectId, String owner, Instant now) {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":erasure", AttributeValue.fromS("ERASURE"));
    if (subjectId != null) {
      values.put(":subject", AttributeValue.fromS(subjectId));
    }
    values.put(":completed", AttributeValue.fromS("COMPLETED"));
    values.put(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
    values.put(":owner", AttributeValue.fromS(owner));
    values.put(":until", AttributeValue.fromN(Long.toString(now.plus(LEASE).toEpochMilli())));
    return values;
  }

  /** The analytics events of the visitor ids the person gave with the request. */
  private void collectAnalytics(
      String requestId,
      Map<String, AttributeValue> request,
      BatchWriter.Buffer writes,
      SubjectItems.Plan plan) {
    for (String visitor : visitorPseudonyms(requestId, request)) {
      Partitions.keys(
          core.dynamoDb(),
          tables.analyticsEvents(),
          "visitor#" + visitor,
          page ->
              page.forEach(
                  key -> {
                    if (key.get("sk").s().startsWith("event#")) {
                      plan.add("ANALYTICS_EVENT");
                    }
                    writes.delete(tables.analyticsEvents(), key);
                  }));
    }
  }

  /** The last restricted record's end of retention: the date the report promises. */
  private String restrictedUntil(String latestOrder) {
    if (latestOrder.isEmpty()) {
      return null;
    }
    return core.retention()
        .period(DataClass.TRANSACTION)
        .map(p -> Instant.parse(latestOrder).plus(p).toString())
        .orElse("");
  }

  /** The request's subject and, for an account's request, the account's own subject. */
  private static List<String> subjects(String subjectId, Map<String, AttributeValue> request) {
    return request.containsKey("accountSubjectId")
        ? List.of(subjectId, request.get("accountSubjectId").s())
        : List.of(subjectId);
  }

  private List<String> visitorPseudonyms(String requestId, Map<String, AttributeValue> request) {
    List<String> out = new ArrayList<>();
    if (!request.containsKey("visitorIds") || !request.containsKey("wrappedKey")) {
      return out;
    }
    for (String visitorId :
        requestKeys.visitorIds(
            requestId, request.get("wrappedKey").b(), request.get("visitorIds").l())) {
      out.add(pseudonyms.of("visitor", visitorId));
    }
    return out;
  }

  /**
   * The tombstone: the blind index of the email and the subject id, never the email. It outlives
   * the data tables' backups (the table is never restored), so erasure can be re-applied after a
   * restore; then it expires, since nothing could bring the person back any more.
   */
  private Map<String, AttributeValue> tombstone(
      String subjectId, Map<String, AttributeValue> request) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.fromS("subject#" + subjectId));
    item.put("subjectId", AttributeValue.fromS(subjectId));
    if (request.containsKey("emailIndex")) {
      item.put("emailIndex", request.get("emailIndex"));
    }
    // The account of the person too: a restored profile is keyed by the account's subject.
    if (request.containsKey("accountSubjectId")) {
      item.put("accountSubjectId", request.get("accountSubjectId"));
    }
    Instant now = core.clock().instant();
    item.put("erasedAt", AttributeValue.fromS(now.toString()));
    item.put(
        RetentionRegistry.EXPIRES_AT,
        core.retention().expiresAtAttribute(DataClass.TOMBSTONE, now));
    return item;
  }

  private void complete(
      String requestId,
      String subjectId,
      String owner,
      Map<String, Long> counts,
      String restrictedUntil) {
    Instant now = core.clock().instant();
    Map<String, Object> deleted = new LinkedHashMap<>();
    Map<String, Object> restricted = new LinkedHashMap<>();
    for (String dataClass : DELETED_CLASSES) {
      deleted.put(dataClass, counts.getOrDefault(dataClass, 0L));
    }
    long transactions = counts.getOrDefault("TRANSACTION", 0L);
    if (transactions > 0) {
      Map<String, Object> kept = new LinkedHashMap<>();
      kept.put("count", transactions);
      kept.put("legalBasis", DataClass.TRANSACTION.legalBasis());
      kept.put(
          "keptFor",
          core.retention()
              .period(DataClass.TRANSACTION)
              .map(p -> p.toDays() + " days after each order")
              .orElse(""));
      if (restrictedUntil != null) {
        kept.put("until", restrictedUntil);
      }
      restricted.put("TRANSACTION", kept);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("deleted", deleted);
    report.put("restricted", restricted);
    report.put("keyShredded", subjectId != null);
    if (subjectId == null) {
      report.put("noDataHeld", true);
    }
    report.put("completedAt", now.toString());
    // The completion email first: at worst a crash sends it twice, never not at all.
    notifications.send(
        new Notifications.Notification(
            subjectId == null
                ? Notifications.Template.NO_DATA_HELD
                : Notifications.Template.REQUEST_COMPLETED,
            null,
            requestId));
    try {
      core.dynamoDb()
          .transactWriteItems(
              b ->
                  b.transactItems(
                      TransactWriteItem.builder()
                          .update(
                              u ->
                                  u.tableName(tables.requests())
                                      .key(requestKey(requestId))
                                      .conditionExpression(
                                          "#s = :inProgress AND leaseOwner = :owner")
                                      .updateExpression(
                                          "SET #s = :completed, completedAt = :now, #r = :report,"
                                              + " history = list_append(history, :entry)"
                                              + " REMOVE leaseOwner, leaseUntil, visitorIds")
                                      .expressionAttributeNames(
                                          Map.of("#s", "status", "#r", "result"))
                                      .expressionAttributeValues(
                                          Map.of(
                                              ":inProgress", AttributeValue.fromS("IN_PROGRESS"),
                                              ":owner", AttributeValue.fromS(owner),
                                              ":completed", AttributeValue.fromS("COMPLETED"),
                                              ":now", AttributeValue.fromS(now.toString()),
                                              ":report", AttributeValue.fromS(Json.write(report)),
                                              ":entry",
                                                  AttributeValue.fromL(
                                                      List.of(
                                                          AttributeValue.fromM(
                                                              Map.of(
                                                                  "status",
                                                                      AttributeValue.fromS(
                                                                          "COMPLETED"),
                                                                  "at",
                                                                      AttributeValue.fromS(
                                                                          now.toString()))))))))
                          .build(),
                      core.audit()
                          .asTransactPut(
                              new AuditRecord(
                                  Actor.function(functionName),
                                  Action.ERASE,
                                  DataClass.SUBJECT_PROFILE,
                                  requestId,
                                  subjectId,
                                  Purpose.DATA_SUBJECT_REQUEST,
                                  Outcome.SUCCESS,
                                  requestId))));
      Log.info("subject erased", "requestId", requestId);
      RequestOutcomes.count("ERASURE", "COMPLETED");
      Map<String, Long> figures = new LinkedHashMap<>();
      figures.put("ErasuresCompleted", 1L);
      figures.put(
          "ItemsErased", deleted.values().stream().mapToLong(n -> ((Number) n).longValue()).sum());
      figures.put("RecordsRestricted", transactions);
      Metrics.counts(figures, Map.of());
    } catch (TransactionCanceledException completedElsewhere) {
      Log.info("erasure completion already recorded", "requestId", requestId);
    }
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
  Optional<String> reapplyTombstones(String after) {
    ScanRequest.Builder scan =
        ScanRequest.builder().tableName(tables.tombstones()).limit(REAPPLY_SLICE);
    if (after != null) {
      scan.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(after)));
    }
    ScanResponse page = core.dynamoDb().scan(scan.build());
    for (Map<String, AttributeValue> tombstone : page.items()) {
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
        writes.delete(
            tables.profiles(), Map.of("pk", AttributeValue.fromS("profile#" + subjectId)));
      }
      writes.flush();
      transactions.forEach((subjectId, records) -> restriction.restrict(subjectId, records, null));
      subjects.forEach(core.directory()::shred);
    }
    Optional<String> next =
        page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
            ? Optional.of(page.lastEvaluatedKey().get("pk").s())
            : Optional.empty();
    Log.info("tombstones re-applied", "count", page.items().size(), "more", next.isPresent());
    return next;
  }

  /** Records the plan on the request, before anything is deleted; only the lease holder may. */
  private void recordPlan(
      String requestId, String owner, SubjectItems.Plan plan, String restrictedUntil) {
    StringBuilder expression = new StringBuilder("SET ");
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":owner", AttributeValue.fromS(owner));
    int i = 0;
    for (String dataClass : SubjectItems.concat(DELETED_CLASSES, List.of("TRANSACTION"))) {
      expression.append(i > 0 ? ", " : "").append("planned_").append(dataClass);
      expression.append(" = :c").append(i);
      values.put(":c" + i, AttributeValue.fromN(Long.toString(plan.count(dataClass))));
      i++;
    }
    if (restrictedUntil != null) {
      expression.append(", restrictedUntil = :until");
      values.put(":until", AttributeValue.fromS(restrictedUntil));
    }
    core.dynamoDb()
        .updateItem(
            b ->
                b.tableName(tables.requests())
                    .key(requestKey(requestId))
                    .conditionExpression("leaseOwner = :owner")
                    .updateExpression(expression.toString())
                    .expressionAttributeValues(values));
  }

  private Map<String, AttributeValue> loadRequest(String requestId) {
    Map<String, AttributeValue> item =
        core.dynamoDb()
            .getItem(
                b -> b.tableName(tables.requests()).key(requestKey(requestId)).consistentRead(true))
            .item();
    return item == null || item.isEmpty() ? null : item;
  }

  private static Map<String, AttributeValue> requestKey(String requestId) {
    return Map.of("pk", AttributeValue.fromS("request#" + requestId));
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? item.get(name).s() : null;
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Long.parseLong(item.get(name).n()) : 0;
  }

  private static byte[] bytes(int count) {
    byte[] out = new byte[count];
    RANDOM.nextBytes(out);
    return out;
  }
}
