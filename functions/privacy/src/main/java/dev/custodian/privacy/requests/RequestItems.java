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
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.retention.DataClass;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What intake, verification, processing and the reads share about a request's item, on top of the
 * table's layout ({@link PrivacyRequestItems}): loading a live one, sealing its parts under the
 * request's key, its audit records.
 */
final class RequestItems {

  static final String LOGICAL_TABLE = PrivacyRequestItems.LOGICAL_TABLE;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestItems() {}

  static String newRequestId() {
    return "r_" + HexFormat.of().formatHex(randomBytes(16));
  }

  static Map<String, AttributeValue> key(String requestId) {
    return PrivacyRequestItems.key(requestId);
  }

  static String pk(String requestId) {
    return PrivacyRequestItems.pk(requestId);
  }

  /** The live item of a request; 404 for a malformed, unknown or expired id. */
  static Map<String, AttributeValue> load(PrivacyCore core, String table, String requestId) {
    if (!PrivacyRequestItems.REQUEST_ID.matcher(requestId).matches()) {
      throw ApiException.notFound();
    }
    return core.liveItem(table, key(requestId)).orElseThrow(ApiException::notFound);
  }

  /**
   * Completes a request that is in status {@code from}, with its result. Throws {@code
   * ConditionalCheckFailedException} when the request is no longer in that status (completed by a
   * duplicate delivery, or erased).
   */
  static void complete(
      PrivacyCore core,
      String table,
      String requestId,
      RequestStatus from,
      String result,
      Instant now) {
    core.dynamoDb()
        .updateItem(PrivacyRequestItems.completion(requestId, from, result, now).request(table));
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
