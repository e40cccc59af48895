package dev.custodian.erasure;

import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many items of each class an erasure deletes, how many transaction records it restricts, and
 * until when those are kept. Recorded on the request before anything is deleted, so a crash cannot
 * lose the count: a resumed run finds only what is left and reports the recorded plan.
 *
 * @param counts by data class: the deleted classes, then {@value #RESTRICTED_CLASS}
 * @param restrictedUntil the last restricted record's end of retention; null when none is kept
 */
record ErasurePlan(Map<String, Long> counts, String restrictedUntil) {

  /** The classes an erasure deletes, in the order its report lists them. */
  static final List<String> DELETED_CLASSES =
      List.of("ORDER_CONTACT", "CONTACT_MESSAGE", "ANALYTICS_EVENT", "EXPORT", "SUBJECT_PROFILE");

  /** The class an erasure restricts instead (kept for tax). */
  static final String RESTRICTED_CLASS = "TRANSACTION";

  /** The plan an earlier delivery recorded on the request. */
  static ErasurePlan recorded(PrivacyRequest request) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String dataClass : DELETED_CLASSES) {
      counts.put(dataClass, request.plannedCount(dataClass));
    }
    counts.put(RESTRICTED_CLASS, request.plannedCount(RESTRICTED_CLASS));
    return new ErasurePlan(counts, request.restrictedUntil());
  }

  /** The plan of what was found; the restricted records are kept until the latest order's end. */
  static ErasurePlan of(SubjectItems.Plan found, RetentionRegistry retention) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String dataClass : DELETED_CLASSES) {
      counts.put(dataClass, found.count(dataClass));
    }
    counts.put(RESTRICTED_CLASS, found.count(RESTRICTED_CLASS));
    return new ErasurePlan(counts, restrictedUntil(found.latestOrder, retention));
  }

  /**
   * This plan with what the erasure's second look found besides (see {@link
   * SubjectFootprint#stragglers}), so the report counts everything erased.
   */
  ErasurePlan plus(SubjectItems.Plan late, RetentionRegistry retention) {
    Map<String, Long> sum = new LinkedHashMap<>(counts);
    late.counts.forEach((dataClass, n) -> sum.merge(dataClass, n, Long::sum));
    String lateUntil = restrictedUntil(late.latestOrder, retention);
    String until =
        restrictedUntil == null || (lateUntil != null && lateUntil.compareTo(restrictedUntil) > 0)
            ? lateUntil
            : restrictedUntil;
    return new ErasurePlan(sum, until);
  }

  long count(String dataClass) {
    return counts.getOrDefault(dataClass, 0L);
  }

  long restricted() {
    return count(RESTRICTED_CLASS);
  }

  /** The last restricted record's end of retention: the date the report promises. */
  private static String restrictedUntil(String latestOrder, RetentionRegistry retention) {
    if (latestOrder.isEmpty()) {
      return null;
    }
    return retention
        .period(DataClass.TRANSACTION)
        .map(p -> Instant.parse(latestOrder).plus(p).toString())
        .orElse("");
  }
}
