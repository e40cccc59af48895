package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportPagesTest {

  private static Map<String, Object> header() {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("requestId", "r_0123");
    header.put("generatedAt", "2026-12-02T10:00:00Z");
    return header;
  }

  private static Map<String, Object> data(int orders, int messageChars) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      list.add(Map.of("orderId", "o_" + i, "note", "\"quoted\" \\ é ".repeat(20)));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orders", list);
    data.put("contactMessages", List.of(Map.of("message", "m".repeat(messageChars))));
    data.put("analyticsEvents", List.of());
    data.put("profile", Map.of("name", "Ada"));
    return data;
  }

  private static List<JsonNode> parse(List<String> pages) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String page : pages) {
      out.add(Json.MAPPER.readTree(page));
    }
    return out;
  }

  @Test
  void aSmallExport_isOnePage_withEverySectionAndTheInformation() throws Exception {
    List<String> pages =
        new ExportPages(ExportPages.RESPONSE_BUDGET)
            .paginate(header(), data(3, 10), Map.of("automatedDecisions", "none"));

    assertThat(pages).hasSize(1);
    JsonNode page = Json.MAPPER.readTree(pages.get(0));
    assertThat(page.path("requestId").asText()).isEqualTo("r_0123");
    assertThat(page.path("page").asInt()).isEqualTo(1);
    assertThat(page.path("pages").asInt()).isEqualTo(1);
    assertThat(page.path("data").path("orders")).hasSize(3);
    assertThat(page.path("data").path("analyticsEvents").isArray()).isTrue();
    assertThat(page.path("data").path("profile").path("name").asText()).isEqualTo("Ada");
    assertThat(page.path("information").path("automatedDecisions").asText()).isEqualTo("none");
  }

  @Test
  void aLargeExport_isCutBetweenRecords_eachPageWithinItsBudget_nothingLostOrRepeated()
      throws Exception {
    int budget = 20_000;
    List<JsonNode> pages =
        parse(
            new ExportPages(budget)
                .paginate(header(), data(300, 3_000), Map.of("automatedDecisions", "none")));

    assertThat(pages.size()).isGreaterThan(3);
    List<String> orderIds = new ArrayList<>();
    int messages = 0;
    for (int i = 0; i < pages.size(); i++) {
      JsonNode page = pages.get(i);
      assertThat(ExportPages.sentSize(Json.write(page))).isLessThanOrEqualTo(budget);
      assertThat(page.path("page").asInt()).isEqualTo(i + 1);
      assertThat(page.path("pages").asInt()).isEqualTo(pages.size());
      assertThat(page.has("information")).isEqualTo(i == 0);
      page.path("data").path("orders").forEach(o -> orderIds.add(o.path("orderId").asText()));
      messages += page.path("data").path("contactMessages").size();
    }
    assertThat(orderIds).hasSize(300).doesNotHaveDuplicates();
    assertThat(orderIds.get(0)).isEqualTo("o_0");
    assertThat(orderIds.get(299)).isEqualTo("o_299");
    assertThat(messages).isEqualTo(1);
  }

  @Test
  void theSentSize_countsEscapesAsTheResponseCarriesThem() {
    assertThat(ExportPages.sentSize("ab")).isEqualTo(2);
    assertThat(ExportPages.sentSize("\"\\")).isEqualTo(4);
    assertThat(ExportPages.sentSize("é")).isEqualTo(6);
  }

  @Test
  void parts_holdAtMostTheirBytes_andNeverCutACharacter() {
    String text = ("a".repeat(7) + "é€😀").repeat(40_000);
    List<String> parts = ExportStore.split(text);

    assertThat(parts.size()).isGreaterThan(1);
    assertThat(String.join("", parts)).isEqualTo(text);
    for (String part : parts) {
      assertThat(part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(ExportStore.PART_BYTES);
      assertThat(Character.isLowSurrogate(part.charAt(0))).isFalse();
    }
    assertThat(ExportStore.split("small")).containsExactly("small");
  }
}
