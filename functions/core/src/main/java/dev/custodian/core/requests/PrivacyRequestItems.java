package dev.custodian.core.requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The layout of a data-subject request's item ({@code request#<id>} in the requests table), for
 * every module that reads or writes one (the privacy function's intake, verification, processing
 * and admin; the erasure worker): its key, its attribute names, its status values ({@link
 * RequestStatus}) and the updates that move it ({@link StatusChange}), each conditional on the
 * status it is expected in and appending the step to the request's history. Reads come out as
 * {@link PrivacyRequest}. The email kept apart is {@link RequestEmails}'s.
 */
public final class PrivacyRequestItems {

  /** The requests table as sealing addresses name it. */
  public static final String LOGICAL_TABLE = RequestEmails.LOGICAL_TABLE;

  /** The index of the requests by status and due date (the operators' list, the deadlines). */
  public static final String STATUS_INDEX = "byStatus";

  public static final Pattern REQUEST_ID = Pattern.compile("r_[0-9a-f]{32}");

  public static final String PK = "pk";
  public static final String REQUEST_ID_ATTRIBUTE = "requestId";
  public static final String TYPE = "type";
  public static final String STATUS = "status";
  public static final String REGIME = "regime";
  public static final String RECEIVED_AT = "receivedAt";
  public static final String DUE_AT = "dueAt";
  public static final String VERIFIED_AT = "verifiedAt";
  public static final String COMPLETED_AT = "completedAt";
  public static final String EXTENDED_AT = "extendedAt";
  public static final String EMAIL_INDEX = "emailIndex";
  public static final String SUBJECT_ID = "subjectId";
  public static final String ACCOUNT_SUBJECT_ID = "accountSubjectId";
  public static final String POLICY_VERSION = "policyVersion";
  public static final String WRAPPED_KEY = "wrappedKey";
  public static final String CORRECTIONS = "corrections";
  public static final String VISITOR_IDS = "visitorIds";
  public static final String CODE_HASH = "codeHash";
  public static final String CODE_EXPIRES_AT = "codeExpiresAt";
  public static final String ATTEMPTS = "attempts";
  public static final String TOKEN_HASH = "tokenHash";
  public static final String HISTORY = "history";
  public static final String RESULT = "result";

  /** Set on a request completed whose person was not told yet. */
  public static final String EMAIL_PENDING = "emailPending";

  /** Where an earlier layout kept the request's email, on the request itself. */
  private static final String EMAIL_ON_REQUEST = "email";

  /** The sealing address of the code emailed for a request (sealed only in its notification). */
  public static final String CODE = "code";

  /** The erasure worker's lease on the request (epoch milliseconds), and its recorded plan. */
  static final String LEASE_OWNER = "leaseOwner";

  static final String LEASE_UNTIL = "leaseUntil";
  static final String PLANNED = "planned_";
  static final String RESTRICTED_UNTIL = "restrictedUntil";

  private static final String PK_PREFIX = "request#";

  private PrivacyRequestItems() {}

  public static String pk(String requestId) {
    return PK_PREFIX + requestId;
  }

  public static Map<String, AttributeValue> key(String requestId) {
    return Map.of(PK, AttributeValue.fromS(pk(requestId)));
  }

  /** The request id of a request item's {@code pk}; null when the key is not a request's. */
  public static String requestIdOf(String pk) {
    if (!pk.startsWith(PK_PREFIX)) {
      return null;
    }
    String id = pk.substring(PK_PREFIX.length());
    return REQUEST_ID.matcher(id).matches() ? id : null;
  }

  /** The typed view of a request's item. */
  public static PrivacyRequest read(Map<String, AttributeValue> item) {
    return PrivacyRequest.of(item);
  }

  /** A step of the request's history: a status reached, or an operator's act (EXTENDED). */
  public static AttributeValue historyEntry(String step, Instant at, String reason) {
    Map<String, AttributeValue> entry = new HashMap<>();
    entry.put("status", AttributeValue.fromS(step));
    entry.put("at", AttributeValue.fromS(at.toString()));
    if (reason != null) {
      entry.put("reason", AttributeValue.fromS(reason));
    }
    return AttributeValue.fromM(entry);
  }

  /** The status and first history entry of a new request's item. */
  public static void begin(
      Map<String, AttributeValue> item, RequestStatus status, Instant at, String reason) {
    item.put(STATUS, AttributeValue.fromS(status.name()));
    item.put(HISTORY, AttributeValue.fromL(List.of(historyEntry(status.name(), at, reason))));
  }

  /**
   * Moves a request from {@code from} to {@code to}: the update is refused (a {@code
   * ConditionalCheckFailedException}) when the request is no longer in {@code from}, so a request
   * that has moved on meanwhile is never moved back or sideways.
   */
  public static StatusChange move(
      String requestId, RequestStatus from, RequestStatus to, Instant at, String reason) {
    return move(requestId, List.of(from), to, at, reason);
  }

  /** {@link #move} from any of the statuses {@code from}. */
  public static StatusChange move(
      String requestId,
      Collection<RequestStatus> from,
      RequestStatus to,
      Instant at,
      String reason) {
    for (RequestStatus status : from) {
      if (!status.canMoveTo(to)) {
        throw new IllegalArgumentException("a request cannot move from " + status + " to " + to);
      }
    }
    return new StatusChange(requestId, List.copyOf(from), to, at, reason);
  }

  /**
   * Completes a request in status {@code from} with its result; the visitor ids and corrections it
   * carried are dropped.
   */
  public static StatusChange completion(
      String requestId, RequestStatus from, String result, Instant at) {
    return move(requestId, from, RequestStatus.COMPLETED, at, null)
        .set(COMPLETED_AT, AttributeValue.fromS(at.toString()))
        .set(RESULT, AttributeValue.fromS(result))
        .remove(VISITOR_IDS, CORRECTIONS);
  }

  /** The completion, which also marks the request as one whose person has yet to be told. */
  public static StatusChange completionToTell(
      String requestId, RequestStatus from, String result, Instant at) {
    return completion(requestId, from, result, at)
        .set(EMAIL_PENDING, AttributeValue.fromBool(true));
  }

  /**
   * Clears the mark that the person was not told yet; refused for a request that is gone (never
   * recreated as a bare item).
   */
  public static UpdateItemRequest told(String table, String requestId) {
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key(requestId))
        .conditionExpression("attribute_exists(" + PK + ")")
        .updateExpression("REMOVE " + EMAIL_PENDING)
        .build();
  }

  /**
   * Drops the request's key once the person has been told of its outcome: nothing sealed under it
   * can be opened any more. Refused for a request that is gone (never recreated as a bare item).
   */
  public static UpdateItemRequest keyForgotten(String table, String requestId) {
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key(requestId))
        .conditionExpression("attribute_exists(" + PK + ")")
        .updateExpression("REMOVE " + EMAIL_ON_REQUEST + ", " + WRAPPED_KEY)
        .build();
  }

  /**
   * Counts one wrong verification code, atomically (an {@code ADD}, so concurrent wrong codes are
   * each counted), returning the new count ({@code UPDATED_NEW}). Refused (a {@code
   * ConditionalCheckFailedException}) once the request is no longer pending verification or already
   * holds {@code maxAttempts} wrong codes: the count never passes the limit.
   */
  public static UpdateItemRequest wrongCode(String table, String requestId, int maxAttempts) {
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key(requestId))
        .conditionExpression("#s = :pending AND " + ATTEMPTS + " < :max")
        .updateExpression("ADD " + ATTEMPTS + " :one")
        .expressionAttributeNames(Map.of("#s", STATUS))
        .expressionAttributeValues(
            Map.of(
                ":pending", AttributeValue.fromS(RequestStatus.PENDING_VERIFICATION.name()),
                ":max", AttributeValue.fromN(Integer.toString(maxAttempts)),
                ":one", AttributeValue.fromN("1")))
        .returnValues(ReturnValue.UPDATED_NEW)
        .build();
  }

  /**
   * Extends an open request's deadline to {@code newDue}, once: refused when it was extended
   * already or is no longer open.
   */
  public static UpdateItemRequest extension(
      String table, String requestId, Instant newDue, Instant at, String reason) {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    List<String> open = new ArrayList<>();
    for (RequestStatus status : RequestStatus.open()) {
      open.add(":open" + open.size());
      values.put(open.get(open.size() - 1), AttributeValue.fromS(status.name()));
    }
    values.put(":now", AttributeValue.fromS(at.toString()));
    values.put(":due", AttributeValue.fromS(newDue.toString()));
    values.put(":entry", AttributeValue.fromL(List.of(historyEntry("EXTENDED", at, reason))));
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key(requestId))
        .conditionExpression(
            "attribute_not_exists(" + EXTENDED_AT + ") AND #s IN (" + String.join(", ", open) + ")")
        .updateExpression(
            "SET "
                + EXTENDED_AT
                + " = :now, "
                + DUE_AT
                + " = :due, "
                + HISTORY
                + " = list_append("
                + HISTORY
                + ", :entry)")
        .expressionAttributeNames(Map.of("#s", STATUS))
        .expressionAttributeValues(values)
        .build();
  }

  /**
   * Takes the erasure worker's lease on an erasure request of {@code subjectId} (null: of an
   * address that is not known) and answers the request as it is then; refused while the request is
   * completed, or another owner's lease runs (the refusal carries the item as it was).
   */
  public static UpdateItemRequest erasureLease(
      String table, String requestId, String subjectId, String owner, Instant now, Instant until) {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":erasure", AttributeValue.fromS(RequestType.ERASURE.name()));
    if (subjectId != null) {
      values.put(":subject", AttributeValue.fromS(subjectId));
    }
    values.put(":completed", AttributeValue.fromS(RequestStatus.COMPLETED.name()));
    values.put(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
    values.put(":owner", AttributeValue.fromS(owner));
    values.put(":until", AttributeValue.fromN(Long.toString(until.toEpochMilli())));
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key(requestId))
        .conditionExpression(
            "#type = :erasure AND "
                + (subjectId == null
                    ? "attribute_not_exists(" + SUBJECT_ID + ")"
                    : SUBJECT_ID + " = :subject")
                + " AND #status <> :completed"
                + " AND (attribute_not_exists("
                + LEASE_UNTIL
                + ") OR "
                + LEASE_UNTIL
                + " < :now)")
        .updateExpression("SET " + LEASE_OWNER + " = :owner, " + LEASE_UNTIL + " = :until")
        .expressionAttributeNames(Map.of("#type", TYPE, "#status", STATUS))
        .expressionAttributeValues(values)
        .returnValues(ReturnValue.ALL_NEW)
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
        .build();
  }

  /**
   * Records an erasure's plan on its request — the count of each data class, and the date the
   * restricted records are kept until (null: none) — before anything is deleted; only the lease
   * holder may.
   */
  public static UpdateItemRequest erasurePlan(
      String table,
      String requestId,
      String owner,
      Map<String, Long> counts,
      String restrictedUntil) {
    StringBuilder expression = new StringBuilder("SET ");
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":owner", AttributeValue.fromS(owner));
    int i = 0;
    for (Map.Entry<String, Long> count : counts.entrySet()) {
      expression.append(i > 0 ? ", " : "").append(PLANNED).append(count.getKey());
      expression.append(" = :c").append(i);
      values.put(":c" + i, AttributeValue.fromN(Long.toString(count.getValue())));
      i++;
    }
    if (restrictedUntil != null) {
      expression.append(", " + RESTRICTED_UNTIL + " = :until");
      values.put(":until", AttributeValue.fromS(restrictedUntil));
    }
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key(requestId))
        .conditionExpression(LEASE_OWNER + " = :owner")
        .updateExpression(expression.toString())
        .expressionAttributeValues(values)
        .build();
  }

  /**
   * Completes an erasure in progress with its report, for the lease holder alone; the lease and the
   * visitor ids go.
   */
  public static StatusChange erasureCompletion(
      String requestId, String owner, String report, Instant at) {
    return move(requestId, RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED, at, null)
        .when(LEASE_OWNER + " = :owner", Map.of(":owner", AttributeValue.fromS(owner)))
        .set(COMPLETED_AT, AttributeValue.fromS(at.toString()))
        .set(RESULT, AttributeValue.fromS(report))
        .remove(LEASE_OWNER, LEASE_UNTIL, VISITOR_IDS);
  }
}
