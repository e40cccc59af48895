package dev.custodian.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /events/forget}: a visitor's browser forgets its own history at once, with no account
 * and no email — the visitor id is the secret.
 */
class ForgetVisitorIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  private void browse(String visitorId, int events) {
    String[] paths =
        IntStream.range(0, events).mapToObj(i -> "/forget/" + i).toArray(String[]::new);
    assertThat(scenarios.pageViews(visitorId, paths).status()).isEqualTo(202);
  }

  private Response forget(Object body) {
    return api.post("/events/forget", body, Map.of());
  }

  @Test
  void aVisitor_forgetsItsEventsAndMarkers_andAnUnknownIdGetsTheSameAnswer() {
    String mine = "visitor-" + UUID.randomUUID();
    String someoneElse = "visitor-" + UUID.randomUUID();
    browse(mine, 3);
    browse(someoneElse, 2);
    assertThat(cloud.awaitStreams(Duration.ofSeconds(20))).isTrue();
    String events = cloud.ref("AnalyticsEventsTable");
    int before = TableCounts.of(cloud).get(events);

    Response forgotten = forget(Map.of("visitorId", mine));
    Response nothing = forget(Map.of("visitorId", "visitor-" + UUID.randomUUID()));

    assertThat(forgotten.status()).isEqualTo(202);
    assertThat(nothing.status()).isEqualTo(202);
    assertThat(nothing.body()).isEqualTo(forgotten.body());
    // three events and the visitor's day marker are gone; the other visitor's history stays.
    // (each forget leaves a self-expiring rate counter under its pseudonym: +2)
    assertThat(TableCounts.of(cloud).get(events)).isEqualTo(before - 4 + 2);
    // the audit trail records the deletions without the visitor id
    assertThat(TableCounts.dump(cloud)).doesNotContain(mine);
  }

  @Test
  void forgetting_isRateLimitedPerVisitor_andBadInputChangesNothing() {
    String visitor = "visitor-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      assertThat(forget(Map.of("visitorId", visitor)).status()).isEqualTo(202);
    }
    Response flooded = forget(Map.of("visitorId", visitor));
    assertThat(flooded.status()).isEqualTo(429);
    assertThat(flooded.json().path("error").asText()).isEqualTo("too_many_requests");

    Map<String, Integer> before = TableCounts.of(cloud);
    for (Object bad :
        new Object[] {
          Map.of(),
          Map.of("visitorId", "short"),
          Map.of("visitorId", "visitor-" + UUID.randomUUID(), "sessionId", "sess-12345678"),
          Map.of("visitorId", "visitor\u200b-" + UUID.randomUUID()),
          "[]"
        }) {
      Response refused = forget(bad);
      assertThat(refused.status()).as(String.valueOf(bad)).isEqualTo(400);
      assertThat(refused.json().path("error").asText()).isIn("validation_failed", "malformed_json");
    }
    Map<String, Integer> after = new java.util.HashMap<>(TableCounts.of(cloud));
    after.remove(cloud.ref("IdempotencyTable"));
    Map<String, Integer> expected = new java.util.HashMap<>(before);
    expected.remove(cloud.ref("IdempotencyTable"));
    assertThat(after).isEqualTo(expected);
  }
}
