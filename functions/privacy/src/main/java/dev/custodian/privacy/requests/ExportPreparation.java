package dev.custodian.privacy.requests;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestOutcomes;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.requests.RequestType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

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
  private final String exportsTable;

  ExportPreparation(
      PrivacyCore core,
      String table,
      Notifications notifications,
      AnalyticsHistory analytics,
      ExportContents contents,
      ExportStore store,
      ExportPages pages,
      String exportsTable) {
    this.core = core;
    this.table = table;
    this.notifications = notifications;
    this.analytics = analytics;
    this.contents = contents;
    this.store = store;
    this.pages = pages;
    this.exportsTable = exportsTable;
  }

  /** What the worker did with one request. */
  enum Result {
    PREPARED,
    NO_DATA_HELD,
    NOT_IN_PROGRESS
  }

  /**
   * Prepares the export of one request. The subject is the one verification stored on the request,
   * never one a message names: a message carries the request id, and anything else in it is ignored
   * (whoever can write to the queue cannot point a request at another person's data).
   */
  Result prepare(String requestId, String deliveryId) {
    Map<String, AttributeValue> item;
    try {
      item = RequestItems.load(core, table, requestId);
    } catch (ApiException gone) {
      return Result.NOT_IN_PROGRESS; // expired, or a malformed id: nothing to prepare
    }
    PrivacyRequest request = PrivacyRequestItems.read(item);
    if (request.type() != RequestType.ACCESS) {
      return Result.NOT_IN_PROGRESS;
    }
    if (request.status() == RequestStatus.COMPLETED && request.emailPending()) {
      // completed by an earlier delivery that failed before the person was told: told now, with
      // the email that completion called for
      boolean nothingHeld =
          ((com.fasterxml.jackson.databind.JsonNode) RequestItems.parse(request.result()))
              .path("noDataHeld")
              .asBoolean(false);
      if (nothingHeld) {
        tell(requestId, null, Template.NO_DATA_HELD);
        return Result.NO_DATA_HELD;
      }
      tell(requestId, request.subjectId(), Template.REQUEST_COMPLETED);
      return Result.PREPARED;
    }
    if (request.status() != RequestStatus.IN_PROGRESS) {
      return Result.NOT_IN_PROGRESS; // done by an earlier delivery
    }
    String subjectId = request.subjectId();
    List<String> visitors =
        item.containsKey(PrivacyRequestItems.VISITOR_IDS)
            ? analytics.pseudonyms(
                requestId,
                item.get(PrivacyRequestItems.WRAPPED_KEY).b(),
                item.get(PrivacyRequestItems.VISITOR_IDS).l())
            : List.of();
    if (subjectId == null && visitors.isEmpty()
        || subjectId != null && !core.keyring().isHeld(subjectId)) {
      // an address that is not known, or a person erased since verification
      return noDataHeld(requestId, deliveryId);
    }
    Instant now = core.clock().instant();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("requestId", requestId);
    header.put("generatedAt", now.toString());
    long started = System.nanoTime();
    Map<String, Object> data = contents.data(subjectId, request.accountSubjectId(), visitors);
    long gathered = System.nanoTime();
    List<String> documents = pages.paginate(header, data, contents.information());
    long paged = System.nanoTime();
    ExportStore.Written written;
    try {
      written = store.write(requestId, subjectId, documents, now);
    } catch (SubjectErasedException erasedMeanwhile) {
      return noDataHeld(requestId, deliveryId);
    }
    List<TransactWriteItem> publish = new ArrayList<>();
    publish.add(written.publish(exportsTable));
    publish.add(
        PrivacyRequestItems.completionToTell(
                requestId,
                RequestStatus.IN_PROGRESS,
                "{\"export\":{\"availableUntil\":\""
                    + written.availableUntil()
                    + "\",\"pages\":"
                    + written.pages()
                    + "}}",
                now)
            .transactItem(table));
    publish.add(
        core.audit()
            .asTransactPut(
                RequestItems.audit(
                    requestId, subjectId, Action.EXPORT, Outcome.SUCCESS, deliveryId)));
    if (subjectId != null) {
      // nothing sealed under a key that an erasure shredded meanwhile is published
      publish.add(core.keyring().keyStillHeld(subjectId));
    }
    try {
      core.dynamoDb().transactWriteItems(b -> b.transactItems(publish));
    } catch (TransactionCanceledException refused) {
      store.discard(written);
      if (subjectId != null && Cancellations.conditionFailedAt(refused, 3)) {
        return noDataHeld(requestId, deliveryId); // erased meanwhile
      }
      if (Cancellations.conditionFailedAt(refused, 0)
          || Cancellations.conditionFailedAt(refused, 1)) {
        return Result.NOT_IN_PROGRESS; // another delivery published it first
      }
      throw refused;
    }
    RequestOutcomes.count(RequestType.ACCESS.name(), RequestStatus.COMPLETED.name());
    Log.info(
        "export prepared",
        "requestId",
        requestId,
        "pages",
        written.pages(),
        "parts",
        written.partKeys().size(),
        "gatherMillis",
        (gathered - started) / 1_000_000,
        "pageMillis",
        (paged - gathered) / 1_000_000,
        "storeMillis",
        (System.nanoTime() - paged) / 1_000_000);
    tell(requestId, subjectId, Template.REQUEST_COMPLETED);
    return Result.PREPARED;
  }

  /**
   * Tells the person, then clears the request's mark that they were not told yet: a failure in
   * between makes the queue deliver the request again, and that delivery tells them.
   */
  private void tell(String requestId, String subjectId, Template template) {
    notifications.send(new Notifications.Notification(template, subjectId, requestId));
    try {
      core.dynamoDb().updateItem(PrivacyRequestItems.told(table, requestId));
    } catch (ConditionalCheckFailedException gone) {
      // the request is gone: nothing left to mark
    }
  }

  private Result noDataHeld(String requestId, String deliveryId) {
    try {
      core.dynamoDb()
          .transactWriteItems(
              b ->
                  b.transactItems(
                      PrivacyRequestItems.completionToTell(
                              requestId,
                              RequestStatus.IN_PROGRESS,
                              "{\"noDataHeld\":true}",
                              core.clock().instant())
                          .transactItem(table),
                      core.audit()
                          .asTransactPut(
                              RequestItems.audit(
                                  requestId, null, Action.READ, Outcome.SUCCESS, deliveryId))));
    } catch (TransactionCanceledException completedMeanwhile) {
      if (Cancellations.conditionFailedAt(completedMeanwhile, 0)) {
        return Result.NOT_IN_PROGRESS;
      }
      throw completedMeanwhile;
    }
    RequestOutcomes.count(RequestType.ACCESS.name(), RequestStatus.COMPLETED.name());
    tell(requestId, null, Template.NO_DATA_HELD);
    return Result.NO_DATA_HELD;
  }
}
