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
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.core.requests.RequestOutcomes;
import dev.custodian.core.retention.DataClass;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * What operators do with data-subject requests: see them (overdue first, with the days left),
 * extend a deadline once with a reason, or deny a request with a reason. The person is told by
 * email; every action is audited. Operators never see the requester's email.
 */
final class PrivacyAdmin {

  private static final Set<String> OPEN = Set.of("PENDING_VERIFICATION", "VERIFIED", "IN_PROGRESS");

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
    Map<String, AttributeValue> item = load(requestId);
    if (!OPEN.contains(item.get("status").s())) {
      throw new ApiException(ErrorCode.CONFLICT, "Only an open request can be extended.");
    }
    Instant due = Instant.parse(item.get("dueAt").s());
    Instant newDue =
        item.get("regime").s().equals("CCPA")
            ? due.plus(Duration.ofDays(45))
            : due.atZone(ZoneOffset.UTC).plusMonths(2).toInstant();
    Instant now = core.clock().instant();
    try {
      core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(table)
                      .key(key(requestId))
                      .conditionExpression(
                          "attribute_not_exists(extendedAt) AND #s IN (:a, :b, :c)")
                      .updateExpression(
                          "SET extendedAt = :now, dueAt = :due, history = list_append(history, :entry)")
                      .expressionAttributeNames(Map.of("#s", "status"))
                      .expressionAttributeValues(
                          Map.of(
                              ":a", AttributeValue.fromS("PENDING_VERIFICATION"),
                              ":b", AttributeValue.fromS("VERIFIED"),
                              ":c", AttributeValue.fromS("IN_PROGRESS"),
                              ":now", AttributeValue.fromS(now.toString()),
                              ":due", AttributeValue.fromS(newDue.toString()),
                              ":entry",
                                  AttributeValue.fromL(
                                      List.of(
                                          RequestItems.historyEntry(
                                              "EXTENDED", now, body.get("reason").asText()))))));
    } catch (ConditionalCheckFailedException once) {
      throw new ApiException(ErrorCode.CONFLICT, "This request was extended already.");
    }
    if (!"PENDING_VERIFICATION".equals(item.get("status").s())) {
      // A verified request is answered by the new date: its email stays for that answer.
      new RequestEmails(core.dynamoDb(), table).keepUntil(requestId, newDue, now);
    }
    record(requestId, item, operator, httpRequestId);
    notifications.send(
        new Notifications.Notification(Template.REQUEST_EXTENDED, subject(item), requestId));
    return Map.of("requestId", requestId, "dueAt", newDue.toString());
  }

  /** Refuses a request, with the reason the person is given. */
  Map<String, Object> deny(String requestId, JsonNode body, String operator, String httpRequestId) {
    Map<String, AttributeValue> item = load(requestId);
    Instant now = core.clock().instant();
    try {
      core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(table)
                      .key(key(requestId))
                      .conditionExpression("#s IN (:a, :b)")
                      .updateExpression(
                          "SET #s = :denied, completedAt = :now, history = list_append(history, :entry)"
                              + " REMOVE codeHash, codeExpiresAt")
                      .expressionAttributeNames(Map.of("#s", "status"))
                      .expressionAttributeValues(
                          Map.of(
                              ":a", AttributeValue.fromS("PENDING_VERIFICATION"),
                              ":b", AttributeValue.fromS("VERIFIED"),
                              ":denied", AttributeValue.fromS("DENIED"),
                              ":now", AttributeValue.fromS(now.toString()),
                              ":entry",
                                  AttributeValue.fromL(
                                      List.of(
                                          RequestItems.historyEntry(
                                              "DENIED", now, body.get("reason").asText()))))));
    } catch (ConditionalCheckFailedException notDeniable) {
      throw new ApiException(
          ErrorCode.CONFLICT, "Only a request not yet under way or completed can be denied.");
    }
    record(requestId, item, operator, httpRequestId);
    RequestOutcomes.count(item.get("type").s(), "DENIED");
    notifications.send(
        new Notifications.Notification(Template.REQUEST_DENIED, subject(item), requestId));
    return Map.of("requestId", requestId, "status", "DENIED");
  }

  private void record(
      String requestId, Map<String, AttributeValue> item, String operator, String httpRequestId) {
    core.audit()
        .record(
            new AuditRecord(
                Actor.operator(operator),
                Action.UPDATE,
                DataClass.PRIVACY_REQUEST,
                requestId,
                subject(item),
                Purpose.DATA_SUBJECT_REQUEST,
                Outcome.SUCCESS,
                httpRequestId));
  }

  private Map<String, AttributeValue> load(String requestId) {
    return RequestItems.load(core, table, requestId);
  }

  private static String subject(Map<String, AttributeValue> item) {
    return item.containsKey("subjectId") ? item.get("subjectId").s() : null;
  }

  private static Map<String, AttributeValue> key(String requestId) {
    return Map.of("pk", AttributeValue.fromS("request#" + requestId));
  }
}
