package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import dev.custodian.local.Tee;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Canary values planted in every personal field through every route, then a whole scenario (order,
 * contact, analytics, access export, rectification, erasure): no canary appears in the logs, in any
 * queue message (read raw) or in any table.
 */
class PersonalDataNeverEscapesIT {

  private static final Pattern CODE = Pattern.compile("Your code is ([0-9]{6})");
  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  @Test
  void canaries_appearInNoLogNoQueueAndNoTable() throws Exception {
    String canary = "cnry" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String email = canary + "@example.com";
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try {
      JsonNode event =
          Json.MAPPER.readTree(Files.readString(ProjectFiles.event("orders/place-order.json")));
      ObjectNode order = (ObjectNode) Json.MAPPER.readTree(event.path("body").asText());
      ((ObjectNode) order.path("customer"))
          .put("email", email)
          .put("name", "Name " + canary)
          .put("phone", "+447700912345");
      ((ObjectNode) order.path("shippingAddress"))
          .put("name", "Recipient " + canary)
          .put("line1", "Street " + canary)
          .put("city", "City " + canary);
      ((ObjectNode) order.path("payment")).put("reference", "pi_" + canary);
      Response placed =
          api.post("/orders", order, Map.of("idempotency-key", "k-" + UUID.randomUUID()));
      assertThat(placed.status()).isEqualTo(201);
      String orderId = placed.json().path("orderId").asText();
      assertThat(
              api.get(
                      "/orders/" + orderId,
                      Map.of(
                          "authorization", "Bearer " + placed.json().path("orderToken").asText()))
                  .status())
          .isEqualTo(200);
      assertThat(
              api.get(
                      "/admin/orders/" + orderId + "/fulfilment",
                      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE))
                  .status())
          .isEqualTo(200);

      Response ticket =
          api.post(
              "/contact",
              Map.of(
                  "email",
                  email,
                  "name",
                  "Writer " + canary,
                  "topic",
                  "ORDER",
                  "message",
                  "Text " + canary,
                  "policyVersion",
                  "2026-11-01"),
              Map.of());
      assertThat(ticket.status()).isEqualTo(202);
      assertThat(
              api.get(
                      "/admin/contact/" + ticket.json().path("ticketId").asText(),
                      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE))
                  .status())
          .isEqualTo(200);

      String visitor = "visitor-" + canary;
      api.post(
          "/events",
          Map.of(
              "visitorId",
              visitor,
              "sessionId",
              "session-" + canary,
              "consent",
              Map.of("analytics", true),
              "events",
              List.of(
                  Map.of(
                      "type",
                      "PAGE_VIEW",
                      "path",
                      "/p?email=" + canary,
                      "occurredAt",
                      Instant.now().toString()))),
          Map.of("user-agent", "Mozilla/5.0 " + canary));

      String[] access = verified("ACCESS", email, Map.of("visitorIds", List.of(visitor)));
      assertThat(api.export(access[0], access[1]).body()).contains(canary);
      verified(
          "RECTIFICATION", email, Map.of("corrections", Map.of("name", "Corrected " + canary)));
      String[] erasure = verified("ERASURE", email, Map.of("visitorIds", List.of(visitor)));
      for (int i = 0; i < 300; i++) {
        if ("COMPLETED"
            .equals(
                api.get(
                        "/privacy/requests/" + erasure[0],
                        Map.of("authorization", "Bearer " + erasure[1]))
                    .json()
                    .path("status")
                    .asText())) {
          break;
        }
        Thread.sleep(100);
      }
      Thread.sleep(1500); // let the completion email go out
    } finally {
      System.setOut(original);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("order placed").contains("subject erased");
    assertThat(logs).doesNotContain(canary);
    List<String> queued = new ArrayList<>(cloud.deliveredMessages("NotificationQueue"));
    queued.addAll(cloud.deliveredMessages("ErasureQueue"));
    assertThat(queued).isNotEmpty();
    assertThat(String.join("\n", queued)).doesNotContain(canary);
    assertThat(TableCounts.dump(cloud)).doesNotContain(canary);
  }

  /** Creates and verifies a request (code from the outbox); answers {requestId, token}. */
  private String[] verified(String type, String email, Map<String, Object> extra) throws Exception {
    Map<String, Object> body = new java.util.HashMap<>(extra);
    body.put("type", type);
    body.put("email", email);
    String requestId =
        api.post("/privacy/requests", body, Map.of()).json().path("requestId").asText();
    String code = null;
    for (int i = 0; i < 150 && code == null; i++) {
      for (JsonNode m : api.get("/_local/outbox", Map.of()).json().path("messages")) {
        Matcher matcher = CODE.matcher(m.path("body").asText());
        if (m.path("body").asText().contains(requestId) && matcher.find()) {
          code = matcher.group(1);
        }
      }
      Thread.sleep(100);
    }
    Response verified =
        api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", code), Map.of());
    assertThat(verified.status()).isEqualTo(200);
    return new String[] {requestId, verified.json().path("requestToken").asText()};
  }
}
