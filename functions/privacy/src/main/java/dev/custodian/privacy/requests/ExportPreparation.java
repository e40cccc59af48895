package dev.custodian.privacy.requests;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.notify.Notifications.Template;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The export worker's job for one verified access request: gather what is held ({@link
 * ExportContents}), cut it into pages that each fit a response ({@link ExportPages}), store them
 * sealed in parts ({@link ExportStore}), then complete the request, audit and tell the person.
 * Idempotent: a request that is no longer in progress is left alone, and a duplicate delivery
 * rewrites the same items before losing the race to complete.
 */
final class ExportPreparation {

  private final PrivacyCore core;
  private final String table;
  private final Notifications notifications;
  private final AnalyticsHistory analytics;
  private final ExportContents contents;
  private final ExportStore store;
  private final ExportPages pages;

  ExportPreparation(
      PrivacyCore core,
      String table,
      Notifications notifications,
      AnalyticsHistory analytics,
      ExportContents contents,
      ExportStore store,
      ExportPages pages) {
    this.core = core;
    this.table = table;
    this.notifications = notifications;
    this.analytics = analytics;
    this.contents = contents;
    this.store = store;
    this.pages = pages;
  }

  /** What the worker did with one request. */
  enum Result {
    PREPARED,
    NO_DATA_HELD,
    NOT_IN_PROGRESS
  }

  Result prepare(String requestId, String subjectId, String deliveryId) {
    Map<String, AttributeValue> item;
    try {
      item = RequestItems.load(core, table, requestId);
    } catch (ApiException gone) {
      return Result.NOT_IN_PROGRESS; // expired, or a malformed id: nothing to prepare
    }
    if (!"ACCESS".equals(item.get("type").s()) || !"IN_PROGRESS".equals(item.get("status").s())) {
      return Result.NOT_IN_PROGRESS; // done by an earlier delivery, or erased meanwhile
    }
    List<String> visitors =
        item.containsKey("visitorIds")
            ? analytics.pseudonyms(
                requestId, item.get("wrappedKey").b(), item.get("visitorIds").l())
            : List.of();
    if (subjectId == null && visitors.isEmpty()) {
      return noDataHeld(requestId, deliveryId);
    }
    Instant now = core.clock().instant();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("requestId", requestId);
    header.put("generatedAt", now.toString());
    List<String> documents;
    Instant availableUntil;
    long started = System.nanoTime();
    long gathered;
    long paged;
    try {
      Map<String, Object> data =
          contents.data(subjectId, RequestItems.s(item, "accountSubjectId"), visitors);
      gathered = System.nanoTime();
      documents = pages.paginate(header, data, contents.information());
      paged = System.nanoTime();
      availableUntil = store.write(requestId, subjectId, documents, now);
    } catch (SubjectErasedException erasedMeanwhile) {
      // the person's erasure ran first: nothing is held any more
      return noDataHeld(requestId, deliveryId);
    }
    try {
      RequestItems.complete(
          core,
          table,
          requestId,
          "IN_PROGRESS",
          "{\"export\":{\"availableUntil\":\""
              + availableUntil
              + "\",\"pages\":"
              + documents.size()
              + "}}",
          now);
    } catch (ConditionalCheckFailedException completedMeanwhile) {
      return Result.NOT_IN_PROGRESS;
    }
    core.audit()
        .record(
            RequestItems.audit(requestId, subjectId, Action.EXPORT, Outcome.SUCCESS, deliveryId));
    notifications.send(
        new Notifications.Notification(Template.REQUEST_COMPLETED, subjectId, requestId));
    Log.info(
        "export prepared",
        "requestId",
        requestId,
        "pages",
        documents.size(),
        "gatherMillis",
        (gathered - started) / 1_000_000,
        "pageMillis",
        (paged - gathered) / 1_000_000,
        "storeMillis",
        (System.nanoTime() - paged) / 1_000_000);
    return Result.PREPARED;
  }

  private Result noDataHeld(String requestId, String deliveryId) {
    try {
      RequestItems.complete(
          core, table, requestId, "IN_PROGRESS", "{\"noDataHeld\":true}", core.clock().instant());
    } catch (ConditionalCheckFailedException completedMeanwhile) {
      return Result.NOT_IN_PROGRESS;
    }
    core.audit()
        .record(RequestItems.audit(requestId, null, Action.READ, Outcome.SUCCESS, deliveryId));
    notifications.send(new Notifications.Notification(Template.NO_DATA_HELD, null, requestId));
    return Result.NO_DATA_HELD;
  }
}
