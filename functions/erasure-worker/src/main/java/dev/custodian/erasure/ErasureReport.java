package dev.custodian.erasure;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import dev.custodian.core.log.Metrics;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestOutcomes;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.requests.RequestType;
import dev.custodian.core.retention.DataClass;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The end of an erasure: the report of what was deleted and what is kept restricted (with its legal
 * basis and until when), the person told, and the request completed with the report and one audit
 * record in one transaction, by the lease holder alone.
 */
final class ErasureReport {

  private final PrivacyCore core;
  private final String requestsTable;
  private final Notifications notifications;
  private final String functionName;

  ErasureReport(
      PrivacyCore core, String requestsTable, Notifications notifications, String functionName) {
    this.core = core;
    this.requestsTable = requestsTable;
    this.notifications = notifications;
    this.functionName = functionName;
  }

  /** Completes the request with the plan's report; a null subject: nothing but visitors held. */
  void complete(String requestId, String subjectId, String owner, ErasurePlan plan) {
    Instant now = core.clock().instant();
    Map<String, Object> report = report(subjectId != null, plan, now);
    // The completion email first: at worst a crash sends it twice, never not at all.
    notifications.send(
        new Notifications.Notification(
            subjectId == null
                ? Notifications.Template.NO_DATA_HELD
                : Notifications.Template.REQUEST_COMPLETED,
            null,
            requestId));
    try {
      core.dynamoDb()
          .transactWriteItems(
              b ->
                  b.transactItems(
                      PrivacyRequestItems.erasureCompletion(
                              requestId, owner, Json.write(report), now)
                          .transactItem(requestsTable),
                      core.audit()
                          .asTransactPut(
                              new AuditRecord(
                                  Actor.function(functionName),
                                  Action.ERASE,
                                  DataClass.SUBJECT_PROFILE,
                                  requestId,
                                  subjectId,
                                  Purpose.DATA_SUBJECT_REQUEST,
                                  Outcome.SUCCESS,
                                  requestId))));
      Log.info("subject erased", "requestId", requestId);
      RequestOutcomes.count(RequestType.ERASURE.name(), RequestStatus.COMPLETED.name());
      Map<String, Long> figures = new LinkedHashMap<>();
      figures.put("ErasuresCompleted", 1L);
      figures.put("ItemsErased", ErasurePlan.DELETED_CLASSES.stream().mapToLong(plan::count).sum());
      figures.put("RecordsRestricted", plan.restricted());
      Metrics.counts(figures, Map.of());
    } catch (TransactionCanceledException completedElsewhere) {
      Log.info("erasure completion already recorded", "requestId", requestId);
    }
  }

  private Map<String, Object> report(boolean known, ErasurePlan plan, Instant now) {
    Map<String, Object> deleted = new LinkedHashMap<>();
    for (String dataClass : ErasurePlan.DELETED_CLASSES) {
      deleted.put(dataClass, plan.count(dataClass));
    }
    Map<String, Object> restricted = new LinkedHashMap<>();
    long transactions = plan.restricted();
    if (transactions > 0) {
      Map<String, Object> kept = new LinkedHashMap<>();
      kept.put("count", transactions);
      kept.put("legalBasis", DataClass.TRANSACTION.legalBasis());
      kept.put(
          "keptFor",
          core.retention()
              .period(DataClass.TRANSACTION)
              .map(p -> p.toDays() + " days after each order")
              .orElse(""));
      if (plan.restrictedUntil() != null) {
        kept.put("until", plan.restrictedUntil());
      }
      restricted.put(ErasurePlan.RESTRICTED_CLASS, kept);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("deleted", deleted);
    report.put("restricted", restricted);
    report.put("keyShredded", known);
    if (!known) {
      report.put("noDataHeld", true);
    }
    report.put("completedAt", now.toString());
    return report;
  }
}
