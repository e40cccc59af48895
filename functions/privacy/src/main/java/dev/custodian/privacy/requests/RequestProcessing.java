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
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.requests.RequestType;
import dev.custodian.core.retention.DataClass;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    PrivacyRequest request = PrivacyRequestItems.read(item);
    RequestType type = request.type();
    RequestStatus status = RequestStatus.VERIFIED;
    if (request.emailIndex() != null && type != RequestType.ERASURE) {
      // The person is active: their key outlives the request's outcome (an export sealed under
      // it). The lookup is read for an unknown address too: the same calls either way.
      core.directory().keepActiveByEmailIndex(subjectId, request.emailIndex());
    }
    if (type == RequestType.ERASURE) {
      markInProgress(requestId, now);
      erasures.enqueue(requestId, subjectId);
      status = RequestStatus.IN_PROGRESS;
    } else if (type == RequestType.ACCESS) {
      // Off the request path: the export worker gathers, pages and seals it (an unknown address
      // too, so that the answer and the calls made here never depend on whether it is known).
      markInProgress(requestId, now);
      exports.enqueue(requestId, subjectId);
      status = RequestStatus.IN_PROGRESS;
    } else if (type == RequestType.CLEAR_ANALYTICS) {
      status = clearAnalytics(requestId, subjectId, item, httpRequestId);
    } else if (subjectId == null) {
      status = noDataHeld(requestId, httpRequestId);
    } else if (type == RequestType.RECTIFICATION) {
      status = rectify(requestId, subjectId, item, httpRequestId);
    }
    return status.name();
  }

  /** Marked in progress first: the workers only take requests that are. */
  private void markInProgress(String requestId, Instant now) {
    core.dynamoDb()
        .updateItem(
            PrivacyRequestItems.move(
                    requestId, RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, now, null)
                .request(table));
  }

  /** The verified address is not known: nothing to show or correct, and the person is told. */
  private RequestStatus noDataHeld(String requestId, String httpRequestId) {
    complete(requestId, "{\"noDataHeld\":true}", core.clock().instant());
    core.audit()
        .record(RequestItems.audit(requestId, null, Action.READ, Outcome.SUCCESS, httpRequestId));
    notifications.send(new Notifications.Notification(Template.NO_DATA_HELD, null, requestId));
    return RequestStatus.COMPLETED;
  }

  /** Applies the corrections to every order not yet shipped, and completes the request. */
  private RequestStatus rectify(
      String requestId, String subjectId, Map<String, AttributeValue> item, String httpRequestId) {
    int updated = 0;
    if (item.containsKey(PrivacyRequestItems.CORRECTIONS)) {
      javax.crypto.SecretKey key =
          requestKeys.unwrap(requestId, item.get(PrivacyRequestItems.WRAPPED_KEY).b());
      String json =
          new String(
              FieldSealer.open(
                  key,
                  new FieldAddress(
                      RequestItems.LOGICAL_TABLE,
                      RequestItems.pk(requestId),
                      PrivacyRequestItems.CORRECTIONS),
                  item.get(PrivacyRequestItems.CORRECTIONS).b().asByteArray()),
              StandardCharsets.UTF_8);
      com.fasterxml.jackson.databind.JsonNode corrections =
          (com.fasterxml.jackson.databind.JsonNode) RequestItems.parse(json);
      updated = records.rectify(subjectId, corrections);
      if (item.containsKey(PrivacyRequestItems.ACCOUNT_SUBJECT_ID)) {
        // the same person's account: its profile is corrected too
        updated +=
            records.rectify(item.get(PrivacyRequestItems.ACCOUNT_SUBJECT_ID).s(), corrections);
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
    return RequestStatus.COMPLETED;
  }

  private void complete(String requestId, String result, Instant now) {
    RequestItems.complete(core, table, requestId, RequestStatus.VERIFIED, result, now);
  }

  /** Deletes the browsing history of the visitor ids given, and completes the request. */
  private RequestStatus clearAnalytics(
      String requestId, String subjectId, Map<String, AttributeValue> item, String httpRequestId) {
    long deleted =
        item.containsKey(PrivacyRequestItems.VISITOR_IDS)
            ? analytics.clear(
                requestId,
                item.get(PrivacyRequestItems.WRAPPED_KEY).b(),
                item.get(PrivacyRequestItems.VISITOR_IDS).l())
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
    return RequestStatus.COMPLETED;
  }
}
