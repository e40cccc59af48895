package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The account routes over HTTP through the local cloud, with tokens minted by it. */
class AccountRoutesIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  @Test
  void theProfile_isReadAndUpdatedWithOptimisticLocking_andStoredSealed() {
    String marker = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> me = scenarios.signIn("acct-" + marker, "me." + marker + "@example.com");
    assertThat(api.get("/me", Map.of()).status()).isEqualTo(401);
    JsonNode fresh = api.get("/me", me).json();
    assertThat(fresh.path("version").asInt()).isZero();
    assertThat(fresh.path("email").asText()).isEqualTo("me." + marker + "@example.com");

    Map<String, Object> update =
        Map.of(
            "version",
            0,
            "name",
            "Profile " + marker,
            "phone",
            "+447700900555",
            "addresses",
            List.of(
                Map.of(
                    "name",
                    "Profile " + marker,
                    "line1",
                    "1 Road",
                    "city",
                    "Leeds",
                    "postalCode",
                    "LS1 1AA",
                    "country",
                    "GB")),
            "marketing",
            Map.of("email", true));
    Response saved = api.send("PUT", "/me", Json.write(update), me);
    assertThat(saved.status()).isEqualTo(200);
    assertThat(saved.json().path("version").asInt()).isEqualTo(1);
    assertThat(saved.json().path("name").asText()).isEqualTo("Profile " + marker);
    assertThat(saved.json().path("marketing").path("email").asBoolean()).isTrue();
    assertThat(api.send("PUT", "/me", Json.write(update), me).status()).isEqualTo(409);
    assertThat(
            api.send("PUT", "/me", Json.write(Map.of("version", 1, "phone", "not-a-phone")), me)
                .status())
        .isEqualTo(400);
    assertThat(
            api.send("PUT", "/me", Json.write(Map.of("version", 1, "sub", "someone-else")), me)
                .status())
        .isEqualTo(400);
    assertThat(TableCounts.dump(cloud)).doesNotContain("Profile " + marker);
  }

  @Test
  void ordersOfTheVerifiedEmail_areListed_andNotAnotherAccounts() throws Exception {
    String email = "buyer." + UUID.randomUUID() + "@example.com";
    String orderId = scenarios.placeOrder(email).path("orderId").asText();

    JsonNode mine =
        api.get("/me/orders", scenarios.signIn("acct-" + UUID.randomUUID(), email)).json();
    assertThat(mine.path("orders"))
        .extracting(o -> o.path("orderId").asText())
        .containsExactly(orderId);
    JsonNode theirs =
        api.get(
                "/me/orders",
                scenarios.signIn(
                    "acct-" + UUID.randomUUID(), "other." + UUID.randomUUID() + "@example.com"))
            .json();
    assertThat(theirs.path("orders")).isEmpty();
  }

  @Test
  void accountRequests_needNoCode_butErasureNeedsARecentLogin() {
    String email = "acct." + UUID.randomUUID() + "@example.com";
    String sub = "acct-" + UUID.randomUUID();
    Response stale =
        api.post(
            "/me/privacy-requests",
            Map.of("type", "ERASURE"),
            scenarios.signInAt(sub, email, Instant.now().getEpochSecond() - 3600));
    assertThat(stale.status()).isEqualTo(401);
    assertThat(stale.json().path("error").asText()).isEqualTo("reauthentication_required");
    // a sign-in time in the future is no recent sign-in either
    Response future =
        api.post(
            "/me/privacy-requests",
            Map.of("type", "ERASURE"),
            scenarios.signInAt(sub, email, Instant.now().getEpochSecond() + 365L * 24 * 3600));
    assertThat(future.status()).isEqualTo(401);

    assertThat(
            api.send(
                    "PUT",
                    "/me",
                    Json.write(Map.of("version", 0, "name", "Account Holder")),
                    scenarios.signIn(sub, email))
                .status())
        .isEqualTo(200);
    Response access =
        api.post("/me/privacy-requests", Map.of("type", "ACCESS"), scenarios.signIn(sub, email));
    assertThat(access.status()).isEqualTo(202);
    assertThat(access.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    Response export =
        scenarios.export(Request.from(access.json().path("requestId").asText(), access));
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.json().path("information").path("rights")).isNotEmpty();
    assertThat(export.json().path("data").path("profile").path("name").asText())
        .isEqualTo("Account Holder");
  }

  @Test
  void anAccount_canCorrect_clearItsHistory_andAskForErasure() throws Exception {
    String email = "types." + UUID.randomUUID() + "@example.com";
    String sub = "acct-" + UUID.randomUUID();
    Map<String, String> me = scenarios.signIn(sub, email);
    JsonNode placed = scenarios.placeOrder(email);
    assertThat(
            api.send("PUT", "/me", Json.write(Map.of("version", 0, "name", "Before")), me).status())
        .isEqualTo(200);

    Response fix =
        api.post(
            "/me/privacy-requests",
            Map.of("type", "RECTIFICATION", "corrections", Map.of("name", "After")),
            me);
    assertThat(fix.json().path("status").asText()).isEqualTo("COMPLETED");
    assertThat(
            api.get(
                    "/orders/" + placed.path("orderId").asText(),
                    Map.of("authorization", "Bearer " + placed.path("orderToken").asText()))
                .json()
                .path("customer")
                .path("name")
                .asText())
        .isEqualTo("After");

    String visitor = "visitor-" + UUID.randomUUID();
    scenarios.pageViews(visitor, "/x");
    Response clear =
        api.post(
            "/me/privacy-requests",
            Map.of("type", "CLEAR_ANALYTICS", "visitorIds", List.of(visitor)),
            me);
    JsonNode cleared =
        api.get(
                "/privacy/requests/" + clear.json().path("requestId").asText(),
                Map.of("authorization", "Bearer " + clear.json().path("requestToken").asText()))
            .json();
    assertThat(cleared.path("result").path("deletedEvents").asInt()).isEqualTo(1);

    Response erase = api.post("/me/privacy-requests", Map.of("type", "ERASURE"), me);
    assertThat(erase.status()).isEqualTo(202);
    assertThat(erase.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    // The account's own subject (its profile) is named on the request, for the worker to erase too.
    var item =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                b ->
                    b.tableName(cloud.ref("PrivacyRequestsTable"))
                        .key(
                            Map.of(
                                "pk",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                    "request#" + erase.json().path("requestId").asText()))))
            .item();
    assertThat(item).containsKey("accountSubjectId");
    assertThat(item.get("accountSubjectId").s()).isNotEqualTo(item.get("subjectId").s());
  }
}
