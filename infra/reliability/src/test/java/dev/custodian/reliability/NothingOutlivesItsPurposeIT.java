package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * After a person's whole life with the shop — orders, a message, browsing, privacy requests
 * verified, abandoned and rejected, and their erasure — every item left in every table either
 * expires (a future {@code expiresAt}, which every retention class sets) or holds nothing about a
 * person; and nothing left names the erased person's email in clear.
 */
class NothingOutlivesItsPurposeIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  /**
   * Items documented as kept without an end: the key store's blind-index secrets, the catalogue's
   * products and the published privacy policy versions (no person in any).
   */
  private static boolean keptByDesign(String table, Map<String, AttributeValue> item) {
    String pk = item.containsKey("pk") ? item.get("pk").s() : "";
    return (table.endsWith("SubjectsTable") && pk != null && pk.startsWith("secret#"))
        || (table.endsWith("CatalogueTable") && pk != null && pk.startsWith("product#"))
        || (table.endsWith("PolicyTable") && pk != null && pk.startsWith("version#"));
  }

  @Test
  void afterAFullLifeAndAnErasure_everyItemLeftExpiresOrHoldsNoPerson() throws Exception {
    String email = "life." + UUID.randomUUID() + "@example.com";
    String visitor = "visitor-" + UUID.randomUUID();
    assertThat(
            api.post(
                    "/orders",
                    Scenarios.orderBody(email),
                    Map.of("idempotency-key", "life-" + UUID.randomUUID()))
                .status())
        .isEqualTo(201);
    assertThat(
            api.post(
                    "/contact",
                    Map.of(
                        "email", email,
                        "topic", "OTHER",
                        "message", "Where is my parcel?",
                        "policyVersion", "2026-11-01"),
                    Map.of())
                .status())
        .isEqualTo(202);
    Map<String, Object> events =
        Map.of(
            "visitorId",
            visitor,
            "sessionId",
            "session-" + UUID.randomUUID(),
            "consent",
            Map.of("analytics", true),
            "events",
            List.of(
                Map.of(
                    "type",
                    "PAGE_VIEW",
                    "path",
                    "/search/" + email,
                    "occurredAt",
                    Instant.now().toString())));
    assertThat(
            api.post("/events", events, Map.of("user-agent", "Mozilla/5.0 Firefox/128.0")).status())
        .isEqualTo(202);
    // An access request, verified; one rejected after three wrong codes; the erasure; and one
    // abandoned before the erasure runs (past the day's three code emails: never mailed).
    scenarios.awaitCompleted(scenarios.verifiedRequest("ACCESS", email));
    String rejected = scenarios.request("RECTIFICATION", email);
    for (int i = 0; i < 3; i++) {
      scenarios.verify(rejected, "000000");
    }
    String requestId = scenarios.request("ERASURE", email, Map.of("visitorIds", List.of(visitor)));
    scenarios.request("ACCESS", email);
    scenarios.awaitCompleted(scenarios.verified(requestId, email));
    assertThat(cloud.awaitStreams(Duration.ofSeconds(20))).isTrue();

    long now = Instant.now().getEpochSecond();
    List<String> outliving = new ArrayList<>();
    List<String> naming = new ArrayList<>();
    for (String table : cloud.tableNames()) {
      for (Map<String, AttributeValue> item :
          cloud.emulator().dynamoDb().scanPaginator(b -> b.tableName(table)).items()) {
        AttributeValue expiresAt = item.get("expiresAt");
        boolean expires =
            expiresAt != null && expiresAt.n() != null && Long.parseLong(expiresAt.n()) > now;
        if (!expires && !keptByDesign(table, item)) {
          outliving.add(table + " " + item.get("pk") + " " + item.keySet());
        }
        if (item.toString().contains(email)) {
          naming.add(table + " " + item.get("pk"));
        }
      }
    }
    assertThat(outliving).as("items with no end of retention").isEmpty();
    assertThat(naming).as("items naming the erased email in clear").isEmpty();
  }
}
