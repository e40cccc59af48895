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
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.retention.DataClass;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Erases one data subject (DESIGN §4, §6), in steps whose progress is recorded on the request, so a
 * redelivered or resumed message finishes the job once. The steps: delete the order contact data
 * and restrict the transaction records (kept for tax, without direct identifiers), delete contact
 * messages, delete the analytics events of the visitor ids given, shred the subject key, write the
 * tombstone, then complete the request with its report and one audit record. Each step counts its
 * items before it deletes them, so a crash in the middle does not lose the count; work goes page by
 * page, so memory stays bounded whatever the number of items.
 */
final class Erasure {

  enum Step {
    ORDERS,
    CONTACT,
    ANALYTICS,
    EXPORTS,
    PROFILE,
    KEY,
    TOMBSTONE
  }

  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivacyCore core;
  private final ErasureTables tables;
  private final RequestKeys requestKeys;
  private final BlindIndex pseudonyms;
  private final Notifications notifications;
  private final BatchWriter batches;
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
    this.functionName = functionName;
  }

  /** Thrown when another delivery of the same request holds the lease. */
  static final class Busy extends RuntimeException {
    Busy() {
      super("another delivery is erasing this subject", null, false, false);
    }
  }

  void erase(String requestId, String subjectId) {
    Map<String, AttributeValue> request = loadRequest(requestId);
    if (request == null) {
      throw new IllegalArgumentException("unknown erasure request");
    }
    if (!"ERASURE".equals(request.get("type").s()) || !subjectId.equals(s(request, "subjectId"))) {
      throw new IllegalArgumentException("the message does not match its request");
    }
    String status = request.get("status").s();
    if (status.equals("COMPLETED")) {
      Log.info("erasure already complete", "requestId", requestId);
      return;
    }
    String owner = takeLease(requestId);
    request = loadRequest(requestId);
    if ("COMPLETED".equals(request.get("status").s())) {
      // Another delivery finished while this one waited for the lease.
      return;
    }
    List<String> done =
        request.containsKey("erasureSteps") ? request.get("erasureSteps").ss() : List.of();
    if (!done.contains(Step.ORDERS.name())) {
      eraseOrders(requestId, subjectId, request);
      markDone(requestId, Step.ORDERS);
    }
    if (!done.contains(Step.CONTACT.name())) {
      eraseContactMessages(requestId, subjectId, request);
      markDone(requestId, Step.CONTACT);
    }
    if (!done.contains(Step.ANALYTICS.name())) {
      eraseAnalytics(requestId, request);
      markDone(requestId, Step.ANALYTICS);
    }
    if (!done.contains(Step.EXPORTS.name())) {
      eraseExports(requestId, subjectId, request);
      markDone(requestId, Step.EXPORTS);
    }
    if (!done.contains(Step.PROFILE.name())) {
      eraseProfile(requestId, subjectId, request);
      markDone(requestId, Step.PROFILE);
    }
    if (!done.contains(Step.KEY.name())) {
      for (String subject : subjects(subjectId, request)) {
        core.directory().shred(subject);
      }
      markDone(requestId, Step.KEY);
    }
    if (!done.contains(Step.TOMBSTONE.name())) {
      writeTombstone(subjectId, request);
      markDone(requestId, Step.TOMBSTONE);
    }
    complete(requestId, subjectId, owner);
  }

  private String takeLease(String requestId) {
    String owner = HexFormat.of().formatHex(bytes(8));
    Instant now = core.clock().instant();
    try {
      core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(tables.requests())
                      .key(requestKey(requestId))
                      .conditionExpression("attribute_not_exists(leaseUntil) OR leaseUntil < :now")
                      .updateExpression("SET leaseOwner = :owner, leaseUntil = :until")
                      .expressionAttributeValues(
                          Map.of(
                              ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                              ":owner", AttributeValue.fromS(owner),
                              ":until",
                                  AttributeValue.fromN(
                                      Long.toString(now.plus(LEASE).toEpochMilli())))));
      return owner;
    } catch (ConditionalCheckFailedException held) {
      throw new Busy();
    }
  }

  private void eraseOrders(
      String requestId, String subjectId, Map<String, AttributeValue> request) {
    if (!request.containsKey("planned_ORDER_CONTACT")) {
      long[] counts = new long[2];
      String[] latest = {""};
      forEachBySubject(
          tables.orders(),
          subjectId,
          item -> {
            boolean contact = "contact".equals(item.get("sk").s());
            counts[contact ? 0 : 1]++;
            String createdAt = item.containsKey("createdAt") ? item.get("createdAt").s() : "";
            if (!contact && createdAt.compareTo(latest[0]) > 0) {
              latest[0] = createdAt;
            }
          });
      recordPlan(requestId, Map.of("ORDER_CONTACT", counts[0], "TRANSACTION", counts[1]));
      if (!latest[0].isEmpty()) {
        // The last restricted record's end of retention: the date the report promises.
        String until =
            core.retention()
                .period(DataClass.TRANSACTION)
                .map(p -> Instant.parse(latest[0]).plus(p).toString())
                .orElse("");
        core.dynamoDb()
            .updateItem(
                b ->
                    b.tableName(tables.requests())
                        .key(requestKey(requestId))
                        .updateExpression("SET restrictedUntil = :until")
                        .expressionAttributeValues(Map.of(":until", AttributeValue.fromS(until))));
      }
    }
    deleteContactDataAndRestrictTransactions(subjectId);
  }

  private void eraseContactMessages(
      String requestId, String subjectId, Map<String, AttributeValue> request) {
    if (!request.containsKey("planned_CONTACT_MESSAGE")) {
      long[] count = new long[1];
      forEachBySubject(tables.contact(), subjectId, item -> count[0]++);
      recordPlan(requestId, Map.of("CONTACT_MESSAGE", count[0]));
    }
    deleteContactMessages(subjectId);
  }

  private void deleteContactMessages(String subjectId) {
    forEachPageBySubject(
        tables.contact(),
        subjectId,
        page -> {
          List<Map<String, AttributeValue>> keys = new ArrayList<>();
          page.forEach(item -> keys.add(Map.of("pk", item.get("pk"))));
          batches.deleteAll(tables.contact(), keys);
        });
  }

  /** The subject's account profile, if it has one. */
  private void eraseProfile(
      String requestId, String subjectId, Map<String, AttributeValue> request) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (String subject : subjects(subjectId, request)) {
      keys.add(Map.of("pk", AttributeValue.fromS("profile#" + subject)));
    }
    if (!request.containsKey("planned_SUBJECT_PROFILE")) {
      long count = 0;
      for (Map<String, AttributeValue> key : keys) {
        Map<String, AttributeValue> profile =
            core.dynamoDb().getItem(b -> b.tableName(tables.profiles()).key(key)).item();
        count += profile == null || profile.isEmpty() ? 0 : 1;
      }
      recordPlan(requestId, Map.of("SUBJECT_PROFILE", count));
    }
    for (Map<String, AttributeValue> key : keys) {
      core.dynamoDb().deleteItem(b -> b.tableName(tables.profiles()).key(key));
    }
  }

  /** The request's subject and, for an account's request, the account's own subject. */
  private static List<String> subjects(String subjectId, Map<String, AttributeValue> request) {
    return request.containsKey("accountSubjectId")
        ? List.of(subjectId, request.get("accountSubjectId").s())
        : List.of(subjectId);
  }

  /** The exports prepared for the subject's earlier access requests. */
  private void eraseExports(
      String requestId, String subjectId, Map<String, AttributeValue> request) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    forEachPageBySubject(
        tables.requests(),
        subjectId,
        page ->
            page.forEach(
                item ->
                    keys.add(
                        Map.of(
                            "pk",
                            AttributeValue.fromS(
                                "export#" + item.get("pk").s().substring("request#".length()))))));
    if (!request.containsKey("planned_EXPORT")) {
      long count = 0;
      for (Map<String, AttributeValue> key : keys) {
        Map<String, AttributeValue> export =
            core.dynamoDb().getItem(b -> b.tableName(tables.exports()).key(key)).item();
        count += export == null || export.isEmpty() ? 0 : 1;
      }
      recordPlan(requestId, Map.of("EXPORT", count));
    }
    batches.deleteAll(tables.exports(), keys);
  }

  /** The analytics events of the visitor ids the person gave with the request. */
  private void eraseAnalytics(String requestId, Map<String, AttributeValue> request) {
    List<String> visitors = visitorPseudonyms(requestId, request);
    if (!request.containsKey("planned_ANALYTICS_EVENT")) {
      long count = 0;
      for (String visitor : visitors) {
        count +=
            Partitions.count(
                core.dynamoDb(), tables.analyticsEvents(), "visitor#" + visitor, "event#");
      }
      recordPlan(requestId, Map.of("ANALYTICS_EVENT", count));
    }
    for (String visitor : visitors) {
      Partitions.delete(core.dynamoDb(), batches, tables.analyticsEvents(), "visitor#" + visitor);
    }
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
   * backups (the table is never restored), so erasure can be re-applied after a restore.
   */
  private void writeTombstone(String subjectId, Map<String, AttributeValue> request) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.fromS("subject#" + subjectId));
    item.put("subjectId", AttributeValue.fromS(subjectId));
    if (request.containsKey("emailIndex")) {
      item.put("emailIndex", request.get("emailIndex"));
    }
    item.put("erasedAt", AttributeValue.fromS(core.clock().instant().toString()));
    core.dynamoDb().putItem(b -> b.tableName(tables.tombstones()).item(item));
  }

  private void complete(String requestId, String subjectId, String owner) {
    Map<String, AttributeValue> request = loadRequest(requestId);
    Instant now = core.clock().instant();
    Map<String, Object> deleted = new LinkedHashMap<>();
    Map<String, Object> restricted = new LinkedHashMap<>();
    for (String dataClass :
        List.of(
            "ORDER_CONTACT", "CONTACT_MESSAGE", "ANALYTICS_EVENT", "EXPORT", "SUBJECT_PROFILE")) {
      deleted.put(dataClass, number(request, "planned_" + dataClass));
    }
    long transactions = number(request, "planned_TRANSACTION");
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
      if (request.containsKey("restrictedUntil")) {
        kept.put("until", request.get("restrictedUntil").s());
      }
      restricted.put("TRANSACTION", kept);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("deleted", deleted);
    report.put("restricted", restricted);
    report.put("keyShredded", true);
    report.put("completedAt", now.toString());
    // The completion email first: at worst a crash sends it twice, never not at all.
    notifications.send(
        new Notifications.Notification(Notifications.Template.REQUEST_COMPLETED, null, requestId));
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
    } catch (TransactionCanceledException completedElsewhere) {
      Log.info("erasure completion already recorded", "requestId", requestId);
    }
  }

  /** After a restore: erase again everything of every erased subject. */
  void reapplyTombstones() {
    Map<String, AttributeValue> start = null;
    do {
      ScanRequest.Builder scan = ScanRequest.builder().tableName(tables.tombstones());
      if (start != null) {
        scan.exclusiveStartKey(start);
      }
      ScanResponse page = core.dynamoDb().scan(scan.build());
      for (Map<String, AttributeValue> tombstone : page.items()) {
        String subjectId = tombstone.get("subjectId").s();
        deleteContactDataAndRestrictTransactions(subjectId);
        deleteContactMessages(subjectId);
        core.directory().shred(subjectId);
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    Log.info("tombstones re-applied");
  }

  /** Order contact data goes; transaction records stay for tax, restricted and unopenable. */
  private void deleteContactDataAndRestrictTransactions(String subjectId) {
    forEachPageBySubject(
        tables.orders(),
        subjectId,
        page -> {
          List<Map<String, AttributeValue>> contacts = new ArrayList<>();
          for (Map<String, AttributeValue> item : page) {
            Map<String, AttributeValue> key = Map.of("pk", item.get("pk"), "sk", item.get("sk"));
            if ("contact".equals(item.get("sk").s())) {
              contacts.add(key);
            } else {
              core.dynamoDb()
                  .updateItem(
                      b ->
                          b.tableName(tables.orders())
                              .key(key)
                              .updateExpression("SET restricted = :yes REMOVE paymentReference")
                              .expressionAttributeValues(
                                  Map.of(":yes", AttributeValue.fromBool(true))));
            }
          }
          batches.deleteAll(tables.orders(), contacts);
        });
  }

  private void recordPlan(String requestId, Map<String, Long> counts) {
    StringBuilder expression = new StringBuilder("SET ");
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Long> count : counts.entrySet()) {
      if (i > 0) {
        expression.append(", ");
      }
      expression.append("planned_").append(count.getKey()).append(" = :c").append(i);
      values.put(":c" + i, AttributeValue.fromN(Long.toString(count.getValue())));
      i++;
    }
    core.dynamoDb()
        .updateItem(
            b ->
                b.tableName(tables.requests())
                    .key(requestKey(requestId))
                    .updateExpression(expression.toString())
                    .expressionAttributeValues(values));
  }

  private void markDone(String requestId, Step step) {
    core.dynamoDb()
        .updateItem(
            b ->
                b.tableName(tables.requests())
                    .key(requestKey(requestId))
                    .updateExpression("ADD erasureSteps :step")
                    .expressionAttributeValues(
                        Map.of(":step", AttributeValue.fromSs(List.of(step.name())))));
  }

  private void forEachBySubject(
      String table, String subjectId, Consumer<Map<String, AttributeValue>> each) {
    forEachPageBySubject(table, subjectId, page -> page.forEach(each));
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
      QueryResponse page = core.dynamoDb().query(query.build());
      eachPage.accept(page.items());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
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
