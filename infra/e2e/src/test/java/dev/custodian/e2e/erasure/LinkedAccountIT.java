package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A person is one person: a request verified by a code emailed to an address reaches the account
 * that signed in with that address, not only what was ordered with it.
 */
class LinkedAccountIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  @Test
  void anErasureVerifiedByCode_erasesTheAccountOfTheAddressToo() throws Exception {
    String email = "linked." + UUID.randomUUID() + "@example.com";
    Map<String, String> me = scenarios.signIn("acct-" + UUID.randomUUID(), email);
    scenarios.placeOrder(email);
    assertThat(
            api.send("PUT", "/me", Json.write(Map.of("version", 0, "name", "Linked Holder")), me)
                .status())
        .isEqualTo(200);

    JsonNode done = scenarios.erase(email);

    assertThat(done.path("result").path("keyShredded").asBoolean()).isTrue();
    assertThat(done.path("result").path("deleted").path("SUBJECT_PROFILE").asInt()).isEqualTo(1);
    JsonNode profile = api.get("/me", me).json();
    assertThat(profile.path("name").isMissingNode() || profile.path("name").isNull()).isTrue();
    assertThat(profile.path("version").asInt()).isZero();
  }

  @Test
  void anAccessRequestVerifiedByCode_exportsTheAccountProfile_evenWithoutOrders() throws Exception {
    String email = "account-only." + UUID.randomUUID() + "@example.com";
    Map<String, String> me = scenarios.signIn("acct-" + UUID.randomUUID(), email);
    assertThat(
            api.send("PUT", "/me", Json.write(Map.of("version", 0, "name", "Only Account")), me)
                .status())
        .isEqualTo(200);

    String requestId = scenarios.request("ACCESS", email);
    Response verified = scenarios.verify(requestId, scenarios.code(email, requestId));
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    Response export = scenarios.export(Request.from(requestId, verified));
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.json().path("data").path("profile").path("name").asText())
        .isEqualTo("Only Account");
  }
}
