package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestOutcomes;
import dev.custodian.core.retention.DataClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Data-subject requests (docs/privacy.md, "View, correct, export, erase"): taken by {@link
 * RequestIntake}, verified by {@link CodeVerification}, processed by {@link RequestProcessing};
 * here, what the holder of a request's token may read (its record and its export). Codes and tokens
 * are stored only as keyed or plain hashes.
 */
final class PrivacyRequests {

  private final PrivacyCore core;
  private final String table;
  private final ExportStore exports;
  private final CodeVerification codes;
  private final RequestIntake intake;
  private final RequestProcessing processing;

  PrivacyRequests(
      PrivacyCore core,
      String table,
      RequestKeys requestKeys,
      Notifications notifications,
      WorkQueue erasures,
      WorkQueue exports,
      AnalyticsHistory analytics,
      SubjectRecords records,
      ExportStore exportStore,
      PolicyStamp policy) {
    this.core = core;
    this.table = table;
    this.exports = exportStore;
    this.codes = new CodeVerification(core, table);
    this.intake = new RequestIntake(core, table, requestKeys, notifications, codes, policy);
    this.processing =
        new RequestProcessing(
            core, table, requestKeys, notifications, erasures, exports, analytics, records);
  }

  /** Where verified erasure and access requests go, for their workers (ids only). */
  @FunctionalInterface
  interface WorkQueue {
    void enqueue(String requestId, String subjectId);
  }

  /** The answer to a correct code (or an account's request): the request token, shown once. */
  record Verified(String requestId, String status, String requestToken) {}

  RequestIntake.Received create(JsonNode body, String httpRequestId) {
    RequestIntake.Received received = intake.create(body, httpRequestId);
    RequestOutcomes.count(body.get("type").asText(), RequestOutcomes.RECEIVED);
    return received;
  }

  Verified verify(String requestId, String code, String httpRequestId) {
    CodeVerification.Verification verified = codes.verify(requestId, code, httpRequestId);
    return processed(
        requestId, verified.subjectId(), verified.item(), verified.token(), httpRequestId);
  }

  /** Processes a verified request, and counts the step it ends in. */
  private Verified processed(
      String requestId,
      String subjectId,
      Map<String, AttributeValue> item,
      String token,
      String httpRequestId) {
    String status =
        processing.process(requestId, subjectId, item, core.clock().instant(), httpRequestId);
    RequestOutcomes.count(PrivacyRequestItems.read(item).type().name(), status);
    return new Verified(requestId, status, token);
  }

  /**
   * A request of a signed-in account: the login verified the person, so no code is sent; the
   * request is verified at once and processed like a verified one.
   */
  Verified createForAccount(
      JsonNode body,
      String subjectId,
      String accountSubjectId,
      String email,
      String httpRequestId) {
    RequestIntake.AccountRequest created =
        intake.createForAccount(body, subjectId, accountSubjectId, email, httpRequestId);
    PrivacyRequest request = PrivacyRequestItems.read(created.item());
    String requestId = request.requestId();
    RequestOutcomes.count(request.type().name(), RequestOutcomes.RECEIVED);
    return processed(requestId, subjectId, created.item(), created.token(), httpRequestId);
  }

  /** A page of the export of a completed access request, for the holder of its token. */
  ExportStore.Page export(
      String requestId, Optional<String> token, int page, String httpRequestId) {
    authorised(requestId, token);
    ExportStore.Page read = exports.read(requestId, page);
    // a download: told apart in the trail from the preparation (EXPORT of the request)
    core.audit()
        .record(
            new AuditRecord(
                Actor.customer(requestId),
                Action.READ,
                DataClass.EXPORT,
                requestId,
                read.subjectId(),
                Purpose.DATA_SUBJECT_REQUEST,
                Outcome.SUCCESS,
                httpRequestId));
    return read;
  }

  /** The record of a request, for the holder of its token. */
  Map<String, Object> status(String requestId, Optional<String> token) {
    Map<String, AttributeValue> item = authorised(requestId, token);
    PrivacyRequest request = PrivacyRequestItems.read(item);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requestId", requestId);
    out.put("type", request.type().name());
    out.put("status", request.status().name());
    out.put("regime", request.regime());
    out.put("receivedAt", request.receivedAt());
    out.put("verifiedAt", request.verifiedAt());
    out.put("dueAt", request.dueAt());
    out.put("completedAt", request.completedAt());
    List<Map<String, Object>> history = new ArrayList<>();
    for (AttributeValue entry : item.get(PrivacyRequestItems.HISTORY).l()) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("status", entry.m().get("status").s());
      h.put("at", entry.m().get("at").s());
      if (entry.m().containsKey("reason")) {
        h.put("reason", entry.m().get("reason").s());
      }
      history.add(h);
    }
    out.put("history", history);
    out.put("result", request.result() != null ? RequestItems.parse(request.result()) : null);
    return out;
  }

  private Map<String, AttributeValue> authorised(String requestId, Optional<String> token) {
    if (token.isEmpty()) {
      throw ApiException.notFound();
    }
    Map<String, AttributeValue> item = RequestItems.load(core, table, requestId);
    AttributeValue hash = item.get(PrivacyRequestItems.TOKEN_HASH);
    if (hash == null
        || !MessageDigest.isEqual(
            RequestItems.sha256(token.get()).getBytes(StandardCharsets.US_ASCII),
            hash.s().getBytes(StandardCharsets.US_ASCII))) {
      throw ApiException.notFound();
    }
    return item;
  }
}
