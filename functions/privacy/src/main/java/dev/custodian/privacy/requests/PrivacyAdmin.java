package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.core.requests.RequestOutcomes;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.retention.DataClass;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * What operators do with data-subject requests: see them (overdue first, with the days left),
 * extend a deadline once with a reason, or deny a request with a reason. The person is told by
 * email; every action is audited. Operators never see the requester's email.
 */
final class PrivacyAdmin {

  private final PrivacyCore core;
  private final String table;
  private final Notifications notifications;
  private final RequestQueue queue;

  /** The retention periods in force (the record of processing shows them). */
  dev.custodian.core.retention.RetentionRegistry retention() {
    return core.retention();
  }

  PrivacyAdmin(PrivacyCore core, String table, Notifications notifications) {
    this.core = core;
    this.table = table;
    this.notifications = notifications;
    this.queue = new RequestQueue(core, table);
  }

  /** A page of requests, optionally of one status, the most urgent first (see RequestQueue). */
  Map<String, Object> list(String status, String limit, String cursor) {
    return queue.page(status, limit, cursor);
  }

  /** GDPR: two more months; CCPA: 45 more days. Once per request, with a reason. */
  Map<String, Object> extend(
      String requestId, JsonNode body, String operator, String httpRequestId) {
    PrivacyRequest request = PrivacyRequestItems.read(load(requestId));
    if (!request.status().isOpen()) {
      throw new ApiException(ErrorCode.CONFLICT, "Only an open request can be extended.");
    }
    Instant due = Instant.parse(request.dueAt());
    Instant newDue =
        request.regime().equals("CCPA")
            ? due.plus(Duration.ofDays(45))
            : due.atZone(ZoneOffset.UTC).plusMonths(2).toInstant();
    Instant now = core.clock().instant();
    try {
      core.dynamoDb()
          .updateItem(
              PrivacyRequestItems.extension(
                  table, requestId, newDue, now, body.get("reason").asText()));
    } catch (ConditionalCheckFailedException once) {
      throw new ApiException(ErrorCode.CONFLICT, "This request was extended already.");
    }
    if (request.status() != RequestStatus.PENDING_VERIFICATION) {
      // A verified request is answered by the new date: its email stays for that answer.
      new RequestEmails(core.dynamoDb(), table).keepUntil(requestId, newDue, now);
    }
    record(requestId, request, operator, httpRequestId);
    notifications.send(
        new Notifications.Notification(Template.REQUEST_EXTENDED, request.subjectId(), requestId));
    return Map.of("requestId", requestId, "dueAt", newDue.toString());
  }

  /** Refuses a request, with the reason the person is given. */
  Map<String, Object> deny(String requestId, JsonNode body, String operator, String httpRequestId) {
    PrivacyRequest request = PrivacyRequestItems.read(load(requestId));
    Instant now = core.clock().instant();
    try {
      core.dynamoDb()
          .updateItem(
              PrivacyRequestItems.move(
                      requestId,
                      List.of(RequestStatus.PENDING_VERIFICATION, RequestStatus.VERIFIED),
                      RequestStatus.DENIED,
                      now,
                      body.get("reason").asText())
                  .set(PrivacyRequestItems.COMPLETED_AT, AttributeValue.fromS(now.toString()))
                  .remove(PrivacyRequestItems.CODE_HASH, PrivacyRequestItems.CODE_EXPIRES_AT)
                  .request(table));
    } catch (ConditionalCheckFailedException notDeniable) {
      throw new ApiException(
          ErrorCode.CONFLICT, "Only a request not yet under way or completed can be denied.");
    }
    record(requestId, request, operator, httpRequestId);
    RequestOutcomes.count(request.type().name(), RequestStatus.DENIED.name());
    notifications.send(
        new Notifications.Notification(Template.REQUEST_DENIED, request.subjectId(), requestId));
    return Map.of("requestId", requestId, "status", RequestStatus.DENIED.name());
  }

  private void record(
      String requestId, PrivacyRequest request, String operator, String httpRequestId) {
    core.audit()
        .record(
            new AuditRecord(
                Actor.operator(operator),
                Action.UPDATE,
                DataClass.PRIVACY_REQUEST,
                requestId,
                request.subjectId(),
                Purpose.DATA_SUBJECT_REQUEST,
                Outcome.SUCCESS,
                httpRequestId));
  }

  private Map<String, AttributeValue> load(String requestId) {
    return RequestItems.load(core, table, requestId);
  }
}
