package dev.custodian.contact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The contact routes over HTTP through the local cloud. */
class ContactRoutesIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();
  private static final Map<String, String> OPERATOR =
      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);

  private static ObjectNode message(String email) throws Exception {
    JsonNode event =
        Json.MAPPER.readTree(Files.readString(ProjectFiles.event("contact/submit.json")));
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree(event.path("body").asText());
    body.put("email", email);
    return body;
  }

  private static String freshEmail() {
    return "writer." + UUID.randomUUID() + "@example.com";
  }

  private Response submit(ObjectNode body) {
    return api.post("/contact", body, Map.of());
  }

  @Test
  void aMessage_isStoredSealed_acknowledgedByQueue_andReadByAnOperator() throws Exception {
    String email = freshEmail();
    ObjectNode body = message(email);
    String text = "Canary message " + UUID.randomUUID();
    body.put("message", text);

    Response accepted = submit(body);

    assertThat(accepted.status()).isEqualTo(202);
    String ticketId = accepted.json().path("ticketId").asText();
    assertThat(ticketId).matches("t_[0-9a-f]{32}");
    String everything = TableCounts.dump(cloud);
    assertThat(everything).doesNotContain(text).doesNotContain(email).doesNotContain("Jane Doe");

    List<String> queued = awaitDelivered(ticketId);
    assertThat(queued)
        .anySatisfy(m -> assertThat(m).contains(ticketId).contains("CONTACT_RECEIPT"));
    assertThat(String.join("\n", queued)).doesNotContain("@");
    assertThat(scenarios.awaitEmail(email, ticketId)).isNotBlank();

    Response read = api.get("/admin/contact/" + ticketId, OPERATOR);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("message").asText()).isEqualTo(text);
    assertThat(read.json().path("email").asText()).isEqualTo(email);
    assertThat(read.json().path("topic").asText()).isEqualTo("ORDER");
    assertThat(api.get("/admin/contact/" + ticketId, Map.of()).status()).isEqualTo(403);
    assertThat(api.get("/admin/contact/t_" + "0".repeat(32), OPERATOR).status()).isEqualTo(404);
  }

  @Test
  void eachValidationRule_answers400NamingTheField_andWritesNothing() throws Exception {
    Map<String, Consumer<ObjectNode>> cases =
        Map.of(
            "email", b -> b.put("email", "nope"),
            "name", b -> b.put("name", "n".repeat(201)),
            "topic", b -> b.put("topic", "SALES"),
            "message", b -> b.put("message", "m".repeat(5001)),
            "orderId", b -> b.put("orderId", "12345"),
            "policyVersion", b -> b.remove("policyVersion"),
            "phone", b -> b.put("phone", "+447700900123"));
    Map<String, Integer> before = TableCounts.of(cloud);
    for (Map.Entry<String, Consumer<ObjectNode>> c : cases.entrySet()) {
      ObjectNode body = message(freshEmail());
      c.getValue().accept(body);
      Response response = submit(body);
      assertThat(response.status()).as(c.getKey()).isEqualTo(400);
      assertThat(response.json().path("fields"))
          .extracting(f -> f.path("field").asText())
          .contains(c.getKey());
    }
    ObjectNode empty = message(freshEmail());
    empty.put("message", "");
    assertThat(submit(empty).status()).isEqualTo(400);
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
  }

  @Test
  void singleLineFields_refuseLineSeparatorsAndInvisibleFormatCharacters_andWriteNothing()
      throws Exception {
    // U+2028 line and U+2029 paragraph separators (Zl, Zp); zero-width space, joiner and
    // non-joiner, byte-order mark, soft hyphen, word joiner, a language tag (Cf); NEL (Cc)
    List<String> hidden =
        List.of(
            "\u2028",
            "\u2029",
            "\u200b",
            "\u200c",
            "\u200d",
            "\ufeff",
            "\u00ad",
            "\u2060",
            "\udb40\udc41",
            "\u0085");
    Map<String, Integer> before = TableCounts.of(cloud);
    for (String character : hidden) {
      ObjectNode body = message(freshEmail());
      body.put("name", "Jane" + character + "Doe");
      Response response = submit(body);
      assertThat(response.status()).as("U+%04X", character.codePointAt(0)).isEqualTo(400);
      assertThat(response.json().path("error").asText()).isEqualTo("validation_failed");
      assertThat(response.json().path("fields").get(0).path("field").asText()).isEqualTo("name");
    }
    // an order's customer name and a shipping line, the same
    JsonNode event =
        Json.MAPPER.readTree(Files.readString(ProjectFiles.event("orders/place-order.json")));
    for (String field : List.of("customer", "shippingAddress")) {
      ObjectNode order = (ObjectNode) Json.MAPPER.readTree(event.path("body").asText());
      ((ObjectNode) order.path(field)).put("name", "Jane\u200bDoe");
      Response refused =
          api.post("/orders", order, Map.of("idempotency-key", "k-" + UUID.randomUUID()));
      assertThat(refused.status()).as(field).isEqualTo(400);
      assertThat(refused.json().path("fields").get(0).path("field").asText())
          .isEqualTo(field + ".name");
    }
    // (the notifier's records of earlier tests' emails may land meanwhile)
    Map<String, Integer> after = new java.util.HashMap<>(TableCounts.of(cloud));
    after.remove(cloud.ref("IdempotencyTable"));
    Map<String, Integer> expected = new java.util.HashMap<>(before);
    expected.remove(cloud.ref("IdempotencyTable"));
    assertThat(after).isEqualTo(expected);
    // a message, on several lines, may still hold an emoji sequence joined by U+200D
    ObjectNode family = message(freshEmail());
    family.put("message", "Hello\nour family \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67");
    assertThat(submit(family).status()).isEqualTo(202);
  }

  @Test
  void theHoneypot_getsTheSameAnswer_andStoresNothing() throws Exception {
    Map<String, Integer> before = TableCounts.of(cloud);
    ObjectNode bot = message(freshEmail());
    bot.put("website", "http://spam.example");

    Response response = submit(bot);

    assertThat(response.status()).isEqualTo(202);
    assertThat(response.json().path("ticketId").asText()).matches("t_[0-9a-f]{32}");
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
    assertThat(
            api.get("/admin/contact/" + response.json().path("ticketId").asText(), OPERATOR)
                .status())
        .isEqualTo(404);
  }

  @Test
  void aSender_getsFiveMessagesAnHour_thenA429() throws Exception {
    String email = freshEmail();
    for (int i = 0; i < 5; i++) {
      assertThat(submit(message(email)).status()).as("message " + (i + 1)).isEqualTo(202);
    }
    // The notifier sends the five receipts and records each as a disclosure in the audit trail:
    // counted once they are all out, so that only the sixth message can change the counts.
    awaitReceipts(email, 5);
    List<String> written =
        List.of(cloud.ref("ContactTable"), cloud.ref("AuditTable"), cloud.ref("SubjectsTable"));
    Map<String, Integer> before = TableCounts.of(cloud);
    Response sixth = submit(message(email.toUpperCase()));
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.json().path("error").asText()).isEqualTo("too_many_requests");
    Map<String, Integer> after = TableCounts.of(cloud);
    for (String table : written) {
      assertThat(after.get(table))
          .as("a refused message writes nothing to " + table)
          .isEqualTo(before.get(table));
    }
    assertThat(submit(message(freshEmail())).status()).isEqualTo(202);
  }

  /** Waits until the local outbox holds {@code count} emails to the address. */
  private void awaitReceipts(String email, int count) throws InterruptedException {
    for (int i = 0; i < 150; i++) {
      if (scenarios.emails(email, "").size() >= count) {
        Thread.sleep(300); // the disclosure record follows the send
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the receipts did not go out");
  }

  /** The raw bodies the notification queue delivered, once one names the record. */
  private List<String> awaitDelivered(String recordId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      List<String> bodies = cloud.deliveredMessages("NotificationQueue");
      if (bodies.stream().anyMatch(b -> b.contains(recordId))) {
        return bodies;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no notification about " + recordId);
  }
}
