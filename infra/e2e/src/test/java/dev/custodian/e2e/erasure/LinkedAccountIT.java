package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A person is one person: a request verified by a code emailed to an address reaches the account
 * that signed in with that address, not only what was ordered with it.
 */
class LinkedAccountIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  private Map<String, String> account(String sub, String email) {
    return api.signIn(sub, email);
  }

  private void order(String email) throws Exception {
    JsonNode event =
        Json.MAPPER.readTree(Files.readString(ProjectFiles.event("orders/place-order.json")));
    assertThat(
            api.send(
                    "POST",
                    "/orders",
                    event.path("body").asText().replace("jane.doe@example.com", email),
                    Map.of("idempotency-key", "k-" + UUID.randomUUID()))
                .status())
        .isEqualTo(201);
  }

  /** A request verified with the emailed code: {requestId, requestToken, status}. */
  private String[] verified(String type, String email) {
    String requestId =
        api.post("/privacy/requests", Map.of("type", type, "email", email), Map.of())
            .json()
            .path("requestId")
            .asText();
    Response verified =
        api.post(
            "/privacy/requests/" + requestId + "/verify",
            Map.of("code", api.codeFor(email, requestId)),
            Map.of());
    assertThat(verified.status()).isEqualTo(200);
    return new String[] {
      requestId,
      verified.json().path("requestToken").asText(),
      verified.json().path("status").asText()
    };
  }

  @Test
  void anErasureVerifiedByCode_erasesTheAccountOfTheAddressToo() throws Exception {
    String email = "linked." + UUID.randomUUID() + "@example.com";
    Map<String, String> me = account("acct-" + UUID.randomUUID(), email);
    order(email);
    assertThat(
            api.send("PUT", "/me", Json.write(Map.of("version", 0, "name", "Linked Holder")), me)
                .status())
        .isEqualTo(200);

    String[] erasure = verified("ERASURE", email);
    JsonNode done = api.awaitCompleted(erasure[0], erasure[1]);

    assertThat(done.path("result").path("keyShredded").asBoolean()).isTrue();
    assertThat(done.path("result").path("deleted").path("SUBJECT_PROFILE").asInt()).isEqualTo(1);
    JsonNode profile = api.get("/me", me).json();
    assertThat(profile.path("name").isMissingNode() || profile.path("name").isNull()).isTrue();
    assertThat(profile.path("version").asInt()).isZero();
  }

  @Test
  void anAccessRequestVerifiedByCode_exportsTheAccountProfile_evenWithoutOrders() throws Exception {
    String email = "account-only." + UUID.randomUUID() + "@example.com";
    Map<String, String> me = account("acct-" + UUID.randomUUID(), email);
    assertThat(
            api.send("PUT", "/me", Json.write(Map.of("version", 0, "name", "Only Account")), me)
                .status())
        .isEqualTo(200);

    String[] request = verified("ACCESS", email);
    assertThat(request[2]).isEqualTo("IN_PROGRESS");
    Response export = api.export(request[0], request[1]);
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.json().path("data").path("profile").path("name").asText())
        .isEqualTo("Only Account");
  }
}
