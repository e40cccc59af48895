package dev.custodian.core.requests;

import dev.custodian.core.log.Metrics;
import java.util.Map;

/**
 * The business metric of data-subject requests: {@code PrivacyRequests}, one a step a request
 * reaches ({@code RECEIVED}, {@code VERIFIED}, {@code IN_PROGRESS}, {@code COMPLETED}, {@code
 * REJECTED}, {@code DENIED}), by {@code Type} and {@code Outcome}: the request's type and that
 * step, both constants; never which request.
 */
public final class RequestOutcomes {

  public static final String METRIC = "PrivacyRequests";

  /** The first step, before any status: the request was taken. */
  public static final String RECEIVED = "RECEIVED";

  private RequestOutcomes() {}

  public static void count(String type, String outcome) {
    Metrics.count(METRIC, 1, Map.of("Type", type, "Outcome", outcome));
  }
}
