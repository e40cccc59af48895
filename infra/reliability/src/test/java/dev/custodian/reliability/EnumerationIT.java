package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Whether an email is known cannot be learnt from a privacy request: for known and unknown emails
 * the status, the body's shape and the headers are the same, and the median time differs by less
 * than 20%.
 */
class EnumerationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> VARYING_HEADERS = Set.of("date", "content-length");

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  @Test
  void knownAndUnknownEmails_getTheSameAnswer_inTheSameTime() throws Exception {
    int pairs = Reliability.count(40, 200);
    List<String> known = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      String email = "known." + UUID.randomUUID() + "@example.com";
      assertThat(
              api.post(
                      "/orders",
                      Reliability.orderBody(email),
                      Map.of("idempotency-key", "enum-" + UUID.randomUUID()))
                  .status())
          .isEqualTo(201);
      known.add(email);
    }
    double[] knownMillis = new double[pairs];
    double[] unknownMillis = new double[pairs];
    Set<String> differences = new TreeSet<>();
    for (int i = -5; i < pairs; i++) {
      String knownEmail = i < 0 ? "warm." + UUID.randomUUID() + "@example.com" : known.get(i);
      String unknownEmail = "unknown." + UUID.randomUUID() + "@example.com";
      // alternate which goes first, so drift does not favour one side
      boolean knownFirst = i % 2 == 0;
      long[] took = new long[2];
      ApiClient.Response[] answers = new ApiClient.Response[2];
      for (int k = 0; k < 2; k++) {
        boolean isKnown = (k == 0) == knownFirst;
        long start = System.nanoTime();
        answers[isKnown ? 0 : 1] =
            api.post(
                "/privacy/requests",
                Map.of("type", "ACCESS", "email", isKnown ? knownEmail : unknownEmail),
                Map.of());
        took[isKnown ? 0 : 1] = System.nanoTime() - start;
      }
      if (i < 0) {
        continue;
      }
      knownMillis[i] = took[0] / 1e6;
      unknownMillis[i] = took[1] / 1e6;
      if (answers[0].status() != answers[1].status()) {
        differences.add("status " + answers[0].status() + " vs " + answers[1].status());
      }
      if (!shape(answers[0].json()).equals(shape(answers[1].json()))) {
        differences.add("body " + shape(answers[0].json()) + " vs " + shape(answers[1].json()));
      }
      if (!headers(answers[0]).equals(headers(answers[1]))) {
        differences.add("headers " + headers(answers[0]) + " vs " + headers(answers[1]));
      }
    }
    double knownMedian = median(knownMillis);
    double unknownMedian = median(unknownMillis);
    double gap = Math.abs(knownMedian - unknownMedian) / Math.min(knownMedian, unknownMedian);
    Reliability.figure(
        "Enumeration",
        pairs + " known / " + pairs + " unknown emails",
        String.format(
            "median %.1f ms / %.1f ms (difference %.0f%%), %d answer differences",
            knownMedian, unknownMedian, gap * 100, differences.size()));
    assertThat(differences).isEmpty();
    assertThat(gap).as("median latency difference").isLessThan(0.20);
  }

  /** The body's field names and value types, not its values. */
  private static String shape(JsonNode body) {
    StringBuilder out = new StringBuilder("{");
    body.fieldNames()
        .forEachRemaining(
            name -> out.append(name).append(':').append(body.get(name).getNodeType()).append(','));
    return out.append('}').toString();
  }

  private static Set<String> headers(ApiClient.Response response) {
    Set<String> names = new TreeSet<>();
    response.headers().keySet().stream()
        .map(String::toLowerCase)
        .filter(h -> !VARYING_HEADERS.contains(h))
        .forEach(names::add);
    return names;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
