package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Object-level authorization: every route that takes an id, asked with every wrong credential —
 * none, another order's token, another request's token, another account's token, a forged token, an
 * unsigned operator call. Every one is refused, and the answer for an id that exists is the same as
 * for one that does not, so a refusal tells an attacker nothing.
 */
class AuthorizationIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    new java.security.SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void everyIdRoute_refusesEveryWrongCredential_alikeForIdsThatExistAndThatDoNot()
      throws Exception {
    String emailA = "authz.a." + UUID.randomUUID() + "@example.com";
    String emailB = "authz.b." + UUID.randomUUID() + "@example.com";
    JsonNode orderA = scenarios.placeOrder(emailA);
    JsonNode orderB = scenarios.placeOrder(emailB);
    Request requestA = scenarios.verifiedRequest("ACCESS", emailA);
    Request requestB = scenarios.verifiedRequest("ACCESS", emailB);
    scenarios.awaitCompleted(requestA); // the export worker has prepared the exports
    scenarios.awaitCompleted(requestB);
    String ticket =
        api.post(
                "/contact",
                Map.of(
                    "email",
                    emailA,
                    "topic",
                    "OTHER",
                    "message",
                    "hello",
                    "policyVersion",
                    "2026-11-01"),
                Map.of())
            .json()
            .path("ticketId")
            .asText();
    String accountB =
        cloud.mintToken(
            Map.of("sub", "authz-" + UUID.randomUUID(), "email", emailB, "email_verified", "true"));
    String forgedJwt = accountB.substring(0, accountB.lastIndexOf('.') + 1) + "Zm9yZ2Vk";

    Map<String, String> credentials = new LinkedHashMap<>();
    credentials.put("none", null);
    credentials.put("another order's token", "Bearer " + orderB.path("orderToken").asText());
    credentials.put("another request's token", "Bearer " + requestB.token());
    credentials.put("another account's token", "Bearer " + accountB);
    credentials.put("a forged token", "Bearer " + hex(32));
    credentials.put("a forged account token", "Bearer " + forgedJwt);
    String unknownOrder = "o_" + hex(16);
    String unknownRequest = "r_" + hex(16);
    String unknownTicket = "t_" + hex(16);

    record Probe(String method, String path, String existing, String unknown, String body) {}
    List<Probe> probes =
        List.of(
            new Probe("GET", "/orders/%s", orderA.path("orderId").asText(), unknownOrder, null),
            new Probe("GET", "/me/orders/%s", orderA.path("orderId").asText(), unknownOrder, null),
            new Probe("GET", "/privacy/requests/%s", requestA.id(), unknownRequest, null),
            new Probe("GET", "/privacy/requests/%s/export", requestA.id(), unknownRequest, null),
            new Probe(
                "PATCH",
                "/admin/orders/%s/status",
                orderA.path("orderId").asText(),
                unknownOrder,
                "{\"status\":\"CANCELLED\"}"),
            new Probe(
                "GET",
                "/admin/orders/%s/fulfilment",
                orderA.path("orderId").asText(),
                unknownOrder,
                null),
            new Probe("GET", "/admin/contact/%s", ticket, unknownTicket, null),
            new Probe(
                "PUT",
                "/admin/catalogue/%s",
                "TEA-001",
                "NOPE-" + hex(4),
                "{\"name\":\"Free tea\",\"unitPrice\":0,\"currency\":\"GBP\"}"),
            new Probe("DELETE", "/admin/catalogue/%s", "TEA-001", "NOPE-" + hex(4), null),
            new Probe(
                "POST",
                "/admin/privacy-requests/%s/extend",
                requestA.id(),
                unknownRequest,
                "{\"reason\":\"complex\"}"),
            new Probe(
                "POST",
                "/admin/privacy-requests/%s/deny",
                requestA.id(),
                unknownRequest,
                "{\"reason\":\"manifestly unfounded\"}"));

    int asked = 0;
    List<String> leaks = new ArrayList<>();
    for (Probe probe : probes) {
      for (Map.Entry<String, String> credential : credentials.entrySet()) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (credential.getValue() != null) {
          headers.put("authorization", credential.getValue());
        }
        ApiClient.Response existing =
            api.send(
                probe.method(), probe.path().formatted(probe.existing()), probe.body(), headers);
        ApiClient.Response unknown =
            api.send(
                probe.method(), probe.path().formatted(probe.unknown()), probe.body(), headers);
        asked += 2;
        String what = probe.method() + " " + probe.path() + " with " + credential.getKey();
        if (existing.status() < 400) {
          leaks.add(what + ": answered " + existing.status());
        } else if (existing.status() != unknown.status()
            || !existing.body().equals(unknown.body())) {
          leaks.add(
              what
                  + ": tells ids apart ("
                  + existing.status()
                  + " "
                  + existing.body()
                  + " / "
                  + unknown.status()
                  + " "
                  + unknown.body()
                  + ")");
        }
      }
    }
    // The rightful holders are not refused (the matrix above is not refusing everything).
    assertThat(
            api.get(
                    "/orders/" + orderA.path("orderId").asText(),
                    Map.of("authorization", "Bearer " + orderA.path("orderToken").asText()))
                .status())
        .isEqualTo(200);
    assertThat(api.get("/privacy/requests/" + requestA.id(), requestA.bearer()).status())
        .isEqualTo(200);
    Reliability.figure(
        "Object-level authorization",
        probes.size() + " id routes x " + credentials.size() + " wrong credentials",
        asked + " requests, " + leaks.size() + " leaks");
    assertThat(leaks).isEmpty();
  }
}
