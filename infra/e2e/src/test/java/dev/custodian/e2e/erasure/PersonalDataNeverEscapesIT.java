package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import dev.custodian.local.Tee;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Canary values planted in every personal field through every route, then a whole scenario (order,
 * contact, analytics, access export, rectification, erasure): no canary appears in the logs, in any
 * queue message (read raw) or in any table.
 */
class PersonalDataNeverEscapesIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  @Test
  void canaries_appearInNoLogNoQueueAndNoTable() throws Exception {
    String canary = "cnry" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String email = canary + "@example.com";
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try {
      ObjectNode order = Scenarios.orderBody(email);
      ((ObjectNode) order.path("customer"))
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
      scenarios.pageViewsFrom("Mozilla/5.0 " + canary, visitor, "/p?email=" + canary);

      Request access =
          scenarios.verifiedRequest("ACCESS", email, Map.of("visitorIds", List.of(visitor)));
      assertThat(scenarios.export(access).body()).contains(canary);
      scenarios.verifiedRequest(
          "RECTIFICATION", email, Map.of("corrections", Map.of("name", "Corrected " + canary)));
      scenarios.awaitCompleted(
          scenarios.verifiedRequest("ERASURE", email, Map.of("visitorIds", List.of(visitor))));
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
}
