package dev.custodian.privacy.requests;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.Hashes;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.json.Json;
import dev.custodian.core.retention.DataClass;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The layout of a data-subject request's item ({@code request#<id>} in the requests table), shared
 * by intake, verification, processing and the reads: keys, sealed attributes, history entries.
 */
final class RequestItems {

  static final String LOGICAL_TABLE = "privacy-requests";
  static final Pattern REQUEST_ID = Pattern.compile("r_[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestItems() {}

  static String newRequestId() {
    return "r_" + HexFormat.of().formatHex(randomBytes(16));
  }

  static Map<String, AttributeValue> key(String requestId) {
    return Map.of("pk", AttributeValue.fromS(pk(requestId)));
  }

  static String pk(String requestId) {
    return "request#" + requestId;
  }

  /** The live item of a request; 404 for a malformed, unknown or expired id. */
  static Map<String, AttributeValue> load(PrivacyCore core, String table, String requestId) {
    if (!REQUEST_ID.matcher(requestId).matches()) {
      throw ApiException.notFound();
    }
    return core.liveItem(table, key(requestId)).orElseThrow(ApiException::notFound);
  }

  static AttributeValue historyEntry(String status, Instant at, String reason) {
    Map<String, AttributeValue> entry = new HashMap<>();
    entry.put("status", AttributeValue.fromS(status));
    entry.put("at", AttributeValue.fromS(at.toString()));
    if (reason != null) {
      entry.put("reason", AttributeValue.fromS(reason));
    }
    return AttributeValue.fromM(entry);
  }

  /**
   * Completes a request that is in status {@code from}, with its result; the visitor ids and
   * corrections it carried are dropped. Throws {@code ConditionalCheckFailedException} when the
   * request is no longer in that status (completed by a duplicate delivery, or erased).
   */
  static void complete(
      PrivacyCore core, String table, String requestId, String from, String result, Instant now) {
    Update update = completionUpdate(table, requestId, from, result, now, null);
    core.dynamoDb()
        .updateItem(
            b ->
                b.tableName(update.tableName())
                    .key(update.key())
                    .conditionExpression(update.conditionExpression())
                    .updateExpression(update.updateExpression())
                    .expressionAttributeNames(update.expressionAttributeNames())
                    .expressionAttributeValues(update.expressionAttributeValues()));
  }

  /**
   * {@link #complete} as a part of a transaction, which also marks the request with {@code mark}
   * (set to true), e.g. that the person has yet to be told.
   */
  static TransactWriteItem completion(
      String table, String requestId, String from, String result, Instant now, String mark) {
    return TransactWriteItem.builder()
        .update(completionUpdate(table, requestId, from, result, now, mark))
        .build();
  }

  /** The completion's update, marking the request with {@code mark} (set to true) unless null. */
  private static Update completionUpdate(
      String table, String requestId, String from, String result, Instant now, String mark) {
    Map<String, String> names = new HashMap<>(Map.of("#s", "status", "#r", "result"));
    Map<String, AttributeValue> values =
        new HashMap<>(
            Map.of(
                ":from", AttributeValue.fromS(from),
                ":completed", AttributeValue.fromS("COMPLETED"),
                ":now", AttributeValue.fromS(now.toString()),
                ":result", AttributeValue.fromS(result),
                ":entry", AttributeValue.fromL(List.of(historyEntry("COMPLETED", now, null)))));
    String marking = "";
    if (mark != null) {
      names.put("#m", mark);
      values.put(":true", AttributeValue.fromBool(true));
      marking = ", #m = :true";
    }
    return Update.builder()
        .tableName(table)
        .key(key(requestId))
        .conditionExpression("#s = :from")
        .updateExpression(
            "SET #s = :completed, completedAt = :now, #r = :result"
                + marking
                + ", history = list_append(history, :entry) REMOVE visitorIds, corrections")
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }

  /** A value sealed under the request's own key, bound to the request and the attribute. */
  static AttributeValue sealed(RequestKeys.NewKey key, String pk, String attribute, String value) {
    return AttributeValue.fromB(
        SdkBytes.fromByteArrayUnsafe(
            FieldSealer.seal(
                key.key(),
                new FieldAddress(LOGICAL_TABLE, pk, attribute),
                value.getBytes(StandardCharsets.UTF_8))));
  }

  static AuditRecord audit(
      String requestId, String subjectId, Action action, Outcome outcome, String httpRequestId) {
    return new AuditRecord(
        Actor.customer(requestId),
        action,
        DataClass.PRIVACY_REQUEST,
        requestId,
        subjectId,
        Purpose.DATA_SUBJECT_REQUEST,
        outcome,
        httpRequestId);
  }

  static String s(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? item.get(name).s() : null;
  }

  static Object parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable request result", e);
    }
  }

  static String sha256(String text) {
    return Hashes.sha256Hex(text);
  }

  static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
