package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The operators' list pages through an index, overdue first, with an opaque cursor. */
class AdminListIT {

  private static final Map<String, String> OPERATOR =
      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  /** Writes open requests straight into the table: some overdue, some due later. */
  private Set<String> seed(int count, String status, Instant now, boolean extended) {
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      Instant due = now.plus(Duration.ofHours(i % 2 == 0 ? -24L * (i + 1) : 24L * (i + 1)));
      String requestId = SeededRequests.put(cloud, status, due, now, extended);
      ids.add(requestId);
    }
    return ids;
  }

  /** Every page of a list: its rows, in order, checking each page's size. */
  private List<JsonNode> walk(String query, int limit, int[] pages) {
    List<JsonNode> rows = new ArrayList<>();
    String cursor = null;
    do {
      String path =
          "/admin/privacy-requests?limit="
              + limit
              + query
              + (cursor == null
                  ? ""
                  : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      Response page = api.get(path, OPERATOR);
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.json().path("requests").size()).isLessThanOrEqualTo(limit);
      page.json().path("requests").forEach(rows::add);
      cursor = page.json().hasNonNull("next") ? page.json().path("next").asText() : null;
      assertThat(cursor == null || !cursor.contains("request#")).as("an opaque cursor").isTrue();
      pages[0]++;
      assertThat(pages[0]).as("the walk ends").isLessThan(10_000);
    } while (cursor != null);
    return rows;
  }

  @Test
  void theOpenRequests_pageThroughTheIndex_overdueFirst_eachOnce() {
    Instant now = Instant.now();
    Set<String> verifiedIds = seed(13, "VERIFIED", now, false);
    Set<String> mine = new TreeSet<>(verifiedIds);
    mine.addAll(seed(12, "IN_PROGRESS", now, false));
    mine.addAll(seed(4, "PENDING_VERIFICATION", now, true));

    int[] pages = {0};
    List<JsonNode> rows = walk("", 4, pages);

    List<String> seen = new ArrayList<>();
    rows.forEach(r -> seen.add(r.path("requestId").asText()));
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen).containsAll(mine);
    assertThat(pages[0]).isGreaterThanOrEqualTo(mine.size() / 4);
    // the earliest due first, so every overdue request before any that is not
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i).path("dueAt").asText())
          .isGreaterThanOrEqualTo(rows.get(i - 1).path("dueAt").asText());
      if (rows.get(i).path("overdue").asBoolean()) {
        assertThat(rows.get(i - 1).path("overdue").asBoolean()).isTrue();
      }
    }
    assertThat(rows)
        .allMatch(
            r ->
                Set.of("PENDING_VERIFICATION", "VERIFIED", "IN_PROGRESS")
                    .contains(r.path("status").asText()));
    assertThat(rows.toString()).doesNotContain("@").doesNotContain("wrappedKey");

    // one status, and the extended ones, page the same way
    List<JsonNode> verified = walk("&status=VERIFIED", 5, new int[] {0});
    assertThat(verified).allMatch(r -> r.path("status").asText().equals("VERIFIED"));
    assertThat(verified.stream().map(r -> r.path("requestId").asText()).toList())
        .doesNotHaveDuplicates()
        .containsAll(verifiedIds);
    List<JsonNode> extended = walk("&status=EXTENDED", 3, new int[] {0});
    assertThat(extended).allMatch(r -> r.path("extended").asBoolean());
    assertThat(extended.stream().map(r -> r.path("requestId").asText()).toList())
        .doesNotHaveDuplicates()
        .hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void aForgedOrForeignCursor_orABadLimit_isRefusedWith400() {
    seed(3, "VERIFIED", Instant.now(), false);
    String foreign =
        api.get("/admin/privacy-requests?limit=1&status=VERIFIED", OPERATOR)
            .json()
            .path("next")
            .asText();
    for (String query :
        List.of(
            "?limit=0",
            "?limit=101",
            "?limit=ten",
            "?cursor=not-a-cursor",
            "?cursor=" + URLEncoder.encode(foreign, StandardCharsets.UTF_8) + "&status=COMPLETED",
            "?cursor=eyJWRVJJRklFRCI6eyJwayI6IiIsImR1ZUF0IjoiIn19")) {
      Response refused = api.get("/admin/privacy-requests" + query, OPERATOR);
      assertThat(refused.status()).as(query).isEqualTo(400);
      assertThat(refused.json().path("error").asText()).isEqualTo("validation_failed");
    }
    assertThat(api.get("/admin/privacy-requests?limit=1", Map.of()).status()).isEqualTo(403);
  }
}
