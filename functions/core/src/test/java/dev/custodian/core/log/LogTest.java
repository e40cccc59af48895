package dev.custodian.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One JSON object a line: the request's ids, the values as JSON, an error without its message. */
class LogTest {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    Log.redirect(null);
    Log.end();
  }

  private JsonNode lastLine() throws Exception {
    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    return Json.MAPPER.readTree(lines[lines.length - 1]);
  }

  @Test
  void everyKindOfValue_isWrittenAsJson_withTheRequestsIds() throws Exception {
    Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Log.begin("req-1", "inv-1");
    Log.info(
        "order placed",
        "orderId",
        "o_1 \"quoted\"",
        "items",
        2,
        "bytes",
        5_000_000_000L,
        "retried",
        false,
        "none",
        null,
        "kinds",
        List.of("a", "b"),
        "byType",
        Map.of("ERASURE", 3),
        "ratio",
        0.5);

    JsonNode line = lastLine();
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("message").asText()).isEqualTo("order placed");
    assertThat(line.path("requestId").asText()).isEqualTo("req-1");
    assertThat(line.path("invocationId").asText()).isEqualTo("inv-1");
    assertThat(line.path("orderId").asText()).isEqualTo("o_1 \"quoted\"");
    assertThat(line.path("items").isInt()).isTrue();
    assertThat(line.path("items").asInt()).isEqualTo(2);
    assertThat(line.path("bytes").asLong()).isEqualTo(5_000_000_000L);
    assertThat(line.path("retried").isBoolean()).isTrue();
    assertThat(line.path("none").isNull()).isTrue();
    assertThat(line.path("kinds").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(line.path("byType").path("ERASURE").asInt()).isEqualTo(3);
    assertThat(line.path("ratio").asDouble()).isEqualTo(0.5);
    assertThat(line.path("timestamp").asText()).endsWith("Z");
  }

  @Test
  void aFailure_namesItsTypeAndFrames_butNotItsMessage() throws Exception {
    Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Log.failure(
        "could not place",
        new IllegalStateException("jane@example.com", new RuntimeException("secret")));

    JsonNode line = lastLine();
    assertThat(line.path("level").asText()).isEqualTo("ERROR");
    assertThat(line.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(line.path("frames").asText())
        .contains("at dev.custodian.core.log.LogTest")
        .contains("caused by java.lang.RuntimeException");
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .doesNotContain("jane@example.com")
        .doesNotContain("secret");
    assertThat(line.has("requestId")).isFalse();
  }
}
