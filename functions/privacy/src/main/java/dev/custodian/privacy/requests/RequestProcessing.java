package dev.custodian.privacy.requests;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.core.processors.Processor;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a verified request does, by type: an erasure goes to the erasure worker; an access request
 * prepares the sealed export; a rectification corrects open orders; clearing analytics deletes the
 * given visitors' events. Each completes the request and tells the person.
 */
final class RequestProcessing {

  private final PrivacyCore core;
  private final String table;
  private final RequestKeys requestKeys;
  private final Notifications notifications;
  private final PrivacyRequests.ErasureQueue erasures;
  private final AnalyticsHistory analytics;
  private final SubjectRecords records;
  private final String exportsTable;

  RequestProcessing(
      PrivacyCore core,
      String table,
      RequestKeys requestKeys,
      Notifications notifications,
      PrivacyRequests.ErasureQueue erasures,
      AnalyticsHistory analytics,
      SubjectRecords records,
      String exportsTable) {
    this.core = core;
    this.table = table;
    this.requestKeys = requestKeys;
    this.notifications = notifications;
    this.erasures = erasures;
    this.analytics = analytics;
    this.records = records;
    this.exportsTable = exportsTable;
  }

  /**
   * Processes a verified request at once; answers the status it ends in. A null subject means the
   * verified address is not known: an erasure still goes to the worker (it erases the visitor ids
   * given, and reports that nothing else is held), analytics are cleared all the same, and an
   * access or rectification request completes as "no personal data held".
   */
  String process(
      String requestId,
      String subjectId,
      Map<String, AttributeValue> item,
      Instant now,
      String httpRequestId) {
    String status = "VERIFIED";
    if (item.containsKey("emailIndex") && !"ERASURE".equals(item.get("type").s())) {
      // The person is active: their key outlives the request's outcome (an export sealed under
      // it). The lookup is read for an unknown address too: the same calls either way.
      core.directory().keepActiveByEmailIndex(subjectId, item.get("emailIndex").s());
    }
    if ("ERASURE".equals(item.get("type").s())) {
      // Marked in progress first: the worker only takes requests that are.
      core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(table)
                      .key(RequestItems.key(requestId))
                      .conditionExpression("#s = :verified")
                      .updateExpression(
                          "SET #s = :inProgress, history = list_append(history, :entry)")
                      .expressionAttributeNames(Map.of("#s", "status"))
                      .expressionAttributeValues(
                          Map.of(
                              ":verified", AttributeValue.fromS("VERIFIED"),
                              ":inProgress", AttributeValue.fromS("IN_PROGRESS"),
                              ":entry",
                                  AttributeValue.fromL(
                                      List.of(
                                          RequestItems.historyEntry("IN_PROGRESS", now, null))))));
      erasures.enqueue(requestId, subjectId);
      status = "IN_PROGRESS";
    } else if ("CLEAR_ANALYTICS".equals(item.get("type").s())) {
      status = clearAnalytics(requestId, subjectId, item, httpRequestId);
    } else if ("ACCESS".equals(item.get("type").s())
        && (subjectId != null || item.containsKey("visitorIds"))) {
      status = prepareExport(requestId, subjectId, item, httpRequestId);
    } else if (subjectId == null) {
      status = noDataHeld(requestId, httpRequestId);
    } else if ("RECTIFICATION".equals(item.get("type").s())) {
      status = rectify(requestId, subjectId, item, httpRequestId);
    }
    return status;
  }

  /** What an export holds for an address that is not known: the given visitors' events only. */
  private Map<String, Object> visitorsOnly(List<String> visitors) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orders", List.of());
    data.put("contactMessages", List.of());
    data.put("analyticsEvents", records.analyticsEvents(visitors));
    data.put("privacyRequests", List.of());
    return data;
  }

  /** The verified address is not known: nothing to show or correct, and the person is told. */
  private String noDataHeld(String requestId, String httpRequestId) {
    complete(requestId, "{\"noDataHeld\":true}", core.clock().instant());
    core.audit()
        .record(RequestItems.audit(requestId, null, Action.READ, Outcome.SUCCESS, httpRequestId));
    notifications.send(new Notifications.Notification(Template.NO_DATA_HELD, null, requestId));
    return "COMPLETED";
  }

  /** The words of Art. 15 GDPR that every export carries. */
  private Map<String, Object> information() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put(
        "purposes",
        List.of(
            "delivering your orders and telling you about them",
            "answering your messages",
            "statistics about how the shop is used (with your consent, pseudonymous)",
            "keeping the accounts the law requires"));
    // The recipients are the processors register's, in its words (DESIGN P8).
    List<Map<String, String>> recipients = new ArrayList<>();
    for (Processor processor : Processor.values()) {
      recipients.add(
          Map.of(
              "recipient",
              processor.title(),
              "purpose",
              processor.purpose(),
              "data",
              processor.receives()));
    }
    info.put("recipients", recipients);
    info.put("retention", core.retention().notices());
    info.put(
        "source", "you, when you ordered, wrote to us, browsed the shop or asked about your data");
    info.put(
        "rights",
        List.of(
            "access and a copy (this export)",
            "rectification",
            "erasure",
            "restriction and objection",
            "data portability",
            "withdrawing consent to analytics at any time",
            "complaining to a data protection authority"));
    info.put("automatedDecisions", "none");
    return info;
  }

  /** Gathers everything held about the subject, seals it for 7 days, completes the request. */
  private String prepareExport(
      String requestId, String subjectId, Map<String, AttributeValue> item, String httpRequestId) {
    List<String> visitors =
        item.containsKey("visitorIds")
            ? analytics.pseudonyms(
                requestId, item.get("wrappedKey").b(), item.get("visitorIds").l())
            : List.of();
    Instant now = core.clock().instant();
    Map<String, Object> bundle = new LinkedHashMap<>();
    bundle.put("requestId", requestId);
    bundle.put("generatedAt", now.toString());
    Map<String, Object> data =
        subjectId != null ? records.gather(subjectId, visitors) : visitorsOnly(visitors);
    if (item.containsKey("accountSubjectId") && !data.containsKey("profile")) {
      // the account of the same person: its profile is theirs too
      Map<String, Object> profile = records.profile(item.get("accountSubjectId").s());
      if (profile != null) {
        data.put("profile", profile);
      }
    }
    bundle.put("data", data);
    bundle.put("information", information());
    String pk = "export#" + requestId;
    AttributeValue expiresAt = core.retention().expiresAtAttribute(DataClass.EXPORT, now);
    FieldAddress address = new FieldAddress("exports", pk, "bundle");
    String json = dev.custodian.core.json.Json.write(bundle);
    Map<String, AttributeValue> export = new HashMap<>();
    export.put("pk", AttributeValue.fromS(pk));
    if (subjectId != null) {
      export.put("subjectId", AttributeValue.fromS(subjectId));
      export.put("bundle", core.keyring().seal(subjectId, address, json));
    } else {
      // No subject, so no subject key: the export gets a key of its own, wrapped by KMS.
      RequestKeys.NewKey key = requestKeys.generate(requestId);
      export.put("wrappedKey", AttributeValue.fromB(SdkBytes.fromByteArray(key.wrapped())));
      export.put(
          "bundle",
          AttributeValue.fromB(
              SdkBytes.fromByteArrayUnsafe(
                  FieldSealer.seal(key.key(), address, json.getBytes(StandardCharsets.UTF_8)))));
    }
    export.put("createdAt", AttributeValue.fromS(now.toString()));
    export.put(RetentionRegistry.EXPIRES_AT, expiresAt);
    core.dynamoDb().putItem(b -> b.tableName(exportsTable).item(export));
    String availableUntil = Instant.ofEpochSecond(Long.parseLong(expiresAt.n())).toString();
    complete(requestId, "{\"export\":{\"availableUntil\":\"" + availableUntil + "\"}}", now);
    core.audit()
        .record(
            RequestItems.audit(
                requestId, subjectId, Action.EXPORT, Outcome.SUCCESS, httpRequestId));
    notifications.send(
        new Notifications.Notification(Template.REQUEST_COMPLETED, subjectId, requestId));
    return "COMPLETED";
  }

  /** Applies the corrections to every order not yet shipped, and completes the request. */
  private String rectify(
      String requestId, String subjectId, Map<String, AttributeValue> item, String httpRequestId) {
    int updated = 0;
    if (item.containsKey("corrections")) {
      javax.crypto.SecretKey key = requestKeys.unwrap(requestId, item.get("wrappedKey").b());
      String json =
          new String(
              FieldSealer.open(
                  key,
                  new FieldAddress(
                      RequestItems.LOGICAL_TABLE, RequestItems.pk(requestId), "corrections"),
                  item.get("corrections").b().asByteArray()),
              StandardCharsets.UTF_8);
      com.fasterxml.jackson.databind.JsonNode corrections =
          (com.fasterxml.jackson.databind.JsonNode) RequestItems.parse(json);
      updated = records.rectify(subjectId, corrections);
      if (item.containsKey("accountSubjectId")) {
        // the same person's account: its profile is corrected too
        updated += records.rectify(item.get("accountSubjectId").s(), corrections);
      }
    }
    Instant now = core.clock().instant();
    complete(requestId, "{\"ordersCorrected\":" + updated + "}", now);
    core.audit()
        .record(
            RequestItems.audit(
                requestId, subjectId, Action.UPDATE, Outcome.SUCCESS, httpRequestId));
    notifications.send(
        new Notifications.Notification(Template.REQUEST_COMPLETED, subjectId, requestId));
    return "COMPLETED";
  }

  private void complete(String requestId, String result, Instant now) {
    core.dynamoDb()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(RequestItems.key(requestId))
                    .conditionExpression("#s = :verified")
                    .updateExpression(
                        "SET #s = :completed, completedAt = :now, #r = :result,"
                            + " history = list_append(history, :entry) REMOVE visitorIds, corrections")
                    .expressionAttributeNames(Map.of("#s", "status", "#r", "result"))
                    .expressionAttributeValues(
                        Map.of(
                            ":verified", AttributeValue.fromS("VERIFIED"),
                            ":completed", AttributeValue.fromS("COMPLETED"),
                            ":now", AttributeValue.fromS(now.toString()),
                            ":result", AttributeValue.fromS(result),
                            ":entry",
                                AttributeValue.fromL(
                                    List.of(RequestItems.historyEntry("COMPLETED", now, null))))));
  }

  /** Deletes the browsing history of the visitor ids given, and completes the request. */
  private String clearAnalytics(
      String requestId, String subjectId, Map<String, AttributeValue> item, String httpRequestId) {
    long deleted =
        item.containsKey("visitorIds")
            ? analytics.clear(requestId, item.get("wrappedKey").b(), item.get("visitorIds").l())
            : 0;
    complete(requestId, "{\"deletedEvents\":" + deleted + "}", core.clock().instant());
    core.audit()
        .record(
            new AuditRecord(
                Actor.customer(requestId),
                Action.DELETE,
                DataClass.ANALYTICS_EVENT,
                requestId,
                subjectId,
                Purpose.DATA_SUBJECT_REQUEST,
                Outcome.SUCCESS,
                httpRequestId));
    notifications.send(
        new Notifications.Notification(Template.REQUEST_COMPLETED, subjectId, requestId));
    Log.info("browsing history cleared", "requestId", requestId, "events", deleted);
    return "COMPLETED";
  }
}
