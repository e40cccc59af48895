package dev.custodian.core.requests;

import static dev.custodian.core.requests.PrivacyRequestItems.ACCOUNT_SUBJECT_ID;
import static dev.custodian.core.requests.PrivacyRequestItems.ATTEMPTS;
import static dev.custodian.core.requests.PrivacyRequestItems.COMPLETED_AT;
import static dev.custodian.core.requests.PrivacyRequestItems.DUE_AT;
import static dev.custodian.core.requests.PrivacyRequestItems.EMAIL_INDEX;
import static dev.custodian.core.requests.PrivacyRequestItems.EMAIL_PENDING;
import static dev.custodian.core.requests.PrivacyRequestItems.EXTENDED_AT;
import static dev.custodian.core.requests.PrivacyRequestItems.PLANNED;
import static dev.custodian.core.requests.PrivacyRequestItems.RECEIVED_AT;
import static dev.custodian.core.requests.PrivacyRequestItems.REGIME;
import static dev.custodian.core.requests.PrivacyRequestItems.REQUEST_ID_ATTRIBUTE;
import static dev.custodian.core.requests.PrivacyRequestItems.RESTRICTED_UNTIL;
import static dev.custodian.core.requests.PrivacyRequestItems.RESULT;
import static dev.custodian.core.requests.PrivacyRequestItems.STATUS;
import static dev.custodian.core.requests.PrivacyRequestItems.SUBJECT_ID;
import static dev.custodian.core.requests.PrivacyRequestItems.TYPE;
import static dev.custodian.core.requests.PrivacyRequestItems.VERIFIED_AT;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A data-subject request as its item holds it ({@link PrivacyRequestItems}): the plain attributes,
 * typed; null where the item has none. The sealed parts (the key, visitor ids, corrections) are
 * opened by their readers from the item.
 *
 * @param planned the erasure's recorded plan, by data class; empty before it is recorded
 */
public record PrivacyRequest(
    String requestId,
    RequestType type,
    RequestStatus status,
    String regime,
    String receivedAt,
    String dueAt,
    String verifiedAt,
    String completedAt,
    boolean extended,
    String emailIndex,
    String subjectId,
    String accountSubjectId,
    int attempts,
    String result,
    boolean emailPending,
    Map<String, Long> planned,
    String restrictedUntil) {

  static PrivacyRequest of(Map<String, AttributeValue> item) {
    Map<String, Long> planned = new LinkedHashMap<>();
    item.forEach(
        (name, value) -> {
          if (name.startsWith(PLANNED)) {
            planned.put(name.substring(PLANNED.length()), Long.parseLong(value.n()));
          }
        });
    String type = s(item, TYPE);
    String status = s(item, STATUS);
    return new PrivacyRequest(
        s(item, REQUEST_ID_ATTRIBUTE),
        type == null ? null : RequestType.valueOf(type),
        status == null ? null : RequestStatus.valueOf(status),
        s(item, REGIME),
        s(item, RECEIVED_AT),
        s(item, DUE_AT),
        s(item, VERIFIED_AT),
        s(item, COMPLETED_AT),
        item.containsKey(EXTENDED_AT),
        s(item, EMAIL_INDEX),
        s(item, SUBJECT_ID),
        s(item, ACCOUNT_SUBJECT_ID),
        item.containsKey(ATTEMPTS) ? Integer.parseInt(item.get(ATTEMPTS).n()) : 0,
        s(item, RESULT),
        item.containsKey(EMAIL_PENDING),
        Map.copyOf(planned),
        s(item, RESTRICTED_UNTIL));
  }

  /** Whether the erasure worker recorded its plan on the request. */
  public boolean isPlanned() {
    return !planned.isEmpty();
  }

  /** The planned count of a data class; 0 when none was recorded. */
  public long plannedCount(String dataClass) {
    return planned.getOrDefault(dataClass, 0L);
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? item.get(name).s() : null;
  }
}
