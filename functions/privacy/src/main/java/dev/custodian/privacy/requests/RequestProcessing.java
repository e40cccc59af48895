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
import dev.custodian.core.retention.DataClass;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a verified request does, by type: an erasure goes to the erasure worker and an access
 * request to the export worker ({@link ExportPreparation}), both marked in progress; a
 * rectification corrects open orders and clearing analytics deletes the given visitors' events, at
 * once. Each completes the request and tells the person.
 */
final class RequestProcessing {

  private final PrivacyCore core;
  private final String table;
  private final RequestKeys requestKeys;
  private final Notifications notifications;
  private final PrivacyRequests.WorkQueue erasures;
  private final PrivacyRequests.WorkQueue exports;
  private final AnalyticsHistory analytics;
  private final SubjectRecords records;

  RequestProcessing(
      PrivacyCore core,
      String table,
      RequestKeys requestKeys,
      Notifications notifications,
      PrivacyRequests.WorkQueue erasures,
      PrivacyRequests.WorkQueue exports,
      AnalyticsHistory analytics,
      SubjectRecords records) {
    this.core = core;
    this.table = table;
    this.requestKeys = requestKeys;
    this.notifications = notifications;
    this.erasures = erasures;
    this.analytics = analytics;
    this.records = records;
    this.exports = exports;
  }

  /**
   * Processes a verified request; answers the status it ends in. A null subject means the verified
   * address is not known: an erasure or access request still goes to its worker (which handles the
   * visitor ids given and reports that nothing else is held), analytics are cleared all the same,
   * and a rectification completes as "no personal data held".
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
      markInProgress(requestId, now);
      erasures.enqueue(requestId, subjectId);
      status = "IN_PROGRESS";
    } else if ("ACCESS".equals(item.get("type").s())) {
      // Off the request path: the export worker gathers, pages and seals it (an unknown address
      // too, so that the answer and the calls made here never depend on whether it is known).
      markInProgress(requestId, now);
      exports.enqueue(requestId, subjectId);
      status = "IN_PROGRESS";
    } else if ("CLEAR_ANALYTICS".equals(item.get("type").s())) {
      status = clearAnalytics(requestId, subjectId, item, httpRequestId);
    } else if (subjectId == null) {
      status = noDataHeld(requestId, httpRequestId);
    } else if ("RECTIFICATION".equals(item.get("type").s())) {
      status = rectify(requestId, subjectId, item, httpRequestId);
    }
    return status;
  }

  /** Marked in progress first: the workers only take requests that are. */
  private void markInProgress(String requestId, Instant now) {
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
  }

  /** The verified address is not known: nothing to show or correct, and the person is told. */
  private String noDataHeld(String requestId, String httpRequestId) {
    complete(requestId, "{\"noDataHeld\":true}", core.clock().instant());
    core.audit()
        .record(RequestItems.audit(requestId, null, Action.READ, Outcome.SUCCESS, httpRequestId));
    notifications.send(new Notifications.Notification(Template.NO_DATA_HELD, null, requestId));
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
    RequestItems.complete(core, table, requestId, "VERIFIED", result, now);
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
