package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.emulator.EmulatorProxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Whether an email is known cannot be learnt from a privacy request: for a known and an unknown
 * email, the answers (status, body shape, headers) and the AWS calls the functions make — counted
 * in order at the emulator, by function, service and operation — are the same when the request is
 * made, when a wrong code is sent and when the right one is. Equal calls make equal work; the
 * median times are recorded as a figure, not asserted (docs/reliability.md).
 */
class EnumerationIT {

  private static final Set<String> VARYING_HEADERS = Set.of("date", "content-length");

  /** What one flow showed from outside, step by step. */
  private record Flow(Map<String, String> steps, double[] wrongCodeMillis) {}

  @Test
  void knownAndUnknownEmails_makeTheSameCalls_atCreateWrongCodeAndRightCode() throws Exception {
    LocalCloud shared = SharedLocalCloud.get();
    try (EmulatorProxy proxy = new EmulatorProxy(shared.emulator().endpoint());
        LocalCloud cloud = Reliability.behind(proxy, "enum", 1)) {
      ApiClient api = new ApiClient(cloud.baseUri());
      String requests = cloud.function("PrivacyRequestFunction").name();
      String notifier = cloud.function("NotifierFunction").name();
      int pairs = Reliability.count(1, 20);
      List<String> differences = new ArrayList<>();
      int comparedAgain = 0;
      double[] knownMillis = new double[0];
      double[] unknownMillis = new double[0];
      Map<String, String> sample = Map.of();
      // The first round warms the containers and this stack's new tables (key caches, blind-index
      // secrets created on first use); it is not compared.
      for (int round = 0; round <= pairs; round++) {
        for (String type : List.of("ERASURE", "CLEAR_ANALYTICS", "ACCESS")) {
          boolean knownFirst = round % 2 == 0;
          Flow[] pair = pair(api, proxy, requests, notifier, type, knownFirst);
          if (round == 0) {
            continue;
          }
          List<String> seen = compare(type, pair[0], pair[1]);
          // A container's 60-second policy cache may refresh inside one compared step (one more
          // Scan on one side). A real difference between known and unknown emails shows in every
          // fresh pair; a refresh does not repeat within a minute, so it is compared up to twice
          // more.
          for (int again = 0; again < 2 && !seen.isEmpty(); again++) {
            comparedAgain++;
            pair = pair(api, proxy, requests, notifier, type, knownFirst);
            seen = compare(type, pair[0], pair[1]);
          }
          differences.addAll(seen);
          if (type.equals("ERASURE")) {
            sample = pair[0].steps();
          }
          knownMillis = concat(knownMillis, pair[0].wrongCodeMillis());
          unknownMillis = concat(unknownMillis, pair[1].wrongCodeMillis());
        }
      }
      Reliability.figure(
          "Enumeration",
          pairs * 3
              + " known / "
              + pairs * 3
              + " unknown emails (erasure, clear analytics, access)",
          String.format(
              java.util.Locale.ROOT,
              "%d differences in answers or AWS calls at create, wrong code and right code"
                  + " (%d pairs compared again); wrong code median %.1f ms / %.1f ms (not"
                  + " asserted)",
              differences.size(),
              comparedAgain,
              median(knownMillis),
              median(unknownMillis)));
      Reliability.figure(
          "Enumeration",
          "AWS calls of the request function, erasure request (known = unknown)",
          "create "
              + sample.get("create calls")
              + "; wrong code "
              + sample.get("wrong code 0 calls")
              + "; right code "
              + sample.get("right code calls"));
      assertThat(differences).isEmpty();
    }
  }

  /**
   * A known email (one that placed an order) and an unknown one, each through {@link #flow}, in the
   * order given (alternated by the caller, so that nothing favours one side): {known, unknown}.
   */
  private static Flow[] pair(
      ApiClient api,
      EmulatorProxy proxy,
      String requests,
      String notifier,
      String type,
      boolean knownFirst)
      throws Exception {
    String knownEmail = "known." + UUID.randomUUID() + "@example.com";
    assertThat(
            api.post(
                    "/orders",
                    Scenarios.orderBody(knownEmail),
                    Map.of("idempotency-key", "enum-" + UUID.randomUUID()))
                .status())
        .isEqualTo(201);
    String unknownEmail = "unknown." + UUID.randomUUID() + "@example.com";
    Flow first = flow(api, proxy, requests, notifier, type, knownFirst ? knownEmail : unknownEmail);
    Flow second =
        flow(api, proxy, requests, notifier, type, knownFirst ? unknownEmail : knownEmail);
    return knownFirst ? new Flow[] {first, second} : new Flow[] {second, first};
  }

  /** Each step where the known email's answer or AWS calls differ from the unknown one's. */
  private static List<String> compare(String type, Flow known, Flow unknown) {
    List<String> differences = new ArrayList<>();
    known
        .steps()
        .forEach(
            (step, seen) -> {
              if (!seen.equals(unknown.steps().get(step))) {
                differences.add(
                    type
                        + " "
                        + step
                        + ": known "
                        + seen
                        + " / unknown "
                        + unknown.steps().get(step));
              }
            });
    return differences;
  }

  /** A request of {@code type} for {@code email}: created, a wrong code, then the right code. */
  private static Flow flow(
      ApiClient api,
      EmulatorProxy proxy,
      String requests,
      String notifier,
      String type,
      String email) {
    Map<String, String> steps = new LinkedHashMap<>();
    Map<String, Object> body =
        type.equals("CLEAR_ANALYTICS")
            ? Map.of(
                "type", type, "email", email, "visitorIds", List.of("visitor-" + UUID.randomUUID()))
            : Map.of("type", type, "email", email);

    proxy.reset();
    ApiClient.Response created = api.post("/privacy/requests", body, Map.of());
    String requestId = created.json().path("requestId").asText();
    String code = new Scenarios(api).code(email, requestId);
    settle(proxy, notifier);
    steps.put("create answer", answer(created));
    steps.put("create calls", proxy.sequence(requests).toString());
    steps.put("code email calls", proxy.sequence(notifier).toString());

    String wrong = code.equals("000000") ? "111111" : "000000";
    double[] wrongMillis = new double[2];
    for (int i = 0; i < 2; i++) {
      proxy.reset();
      long start = System.nanoTime();
      ApiClient.Response refused =
          api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", wrong), Map.of());
      wrongMillis[i] = (System.nanoTime() - start) / 1e6;
      steps.put("wrong code " + i + " answer", answer(refused));
      steps.put("wrong code " + i + " calls", proxy.sequence(requests).toString());
    }

    proxy.reset();
    ApiClient.Response verified =
        api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", code), Map.of());
    steps.put("right code answer", answer(verified));
    // Erasures and exports are left to their workers, and clearing analytics does the same work
    // either way: the right code costs the same calls for every address, of every type.
    steps.put("right code calls", proxy.sequence(requests).toString());
    // Nothing of this flow may still run when the next one is counted.
    awaitCompletionEmail(api, email, requestId);
    settle(proxy, notifier);
    return new Flow(steps, wrongMillis);
  }

  private static void awaitCompletionEmail(ApiClient api, String email, String requestId) {
    for (int i = 0; i < 300; i++) {
      for (JsonNode m : api.get("/_local/outbox", Map.of()).json().path("messages")) {
        String text = m.path("body").asText();
        if (m.path("to").toString().contains(email)
            && text.contains(requestId)
            && text.contains("is complete")) {
          return;
        }
      }
      sleep(100);
    }
    throw new AssertionError("no completion email for " + requestId);
  }

  /** Waits until the function has made no call for a while (its last message is handled). */
  private static void settle(EmulatorProxy proxy, String function) {
    int seen = -1;
    for (int i = 0; i < 50; i++) {
      int now = proxy.sequence(function).size();
      if (now == seen) {
        return;
      }
      seen = now;
      sleep(200);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Status, body shape (names and types, not values) and header names of an answer. */
  private static String answer(ApiClient.Response response) {
    JsonNode body = response.json();
    StringBuilder out = new StringBuilder().append(response.status()).append(" {");
    body.fieldNames()
        .forEachRemaining(
            name -> out.append(name).append(':').append(body.get(name).getNodeType()).append(','));
    Set<String> names = new TreeSet<>();
    response.headers().keySet().stream()
        .map(String::toLowerCase)
        .filter(h -> !VARYING_HEADERS.contains(h))
        .forEach(names::add);
    return out.append("} ").append(names).toString();
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
