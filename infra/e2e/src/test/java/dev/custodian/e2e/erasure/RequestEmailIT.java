package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.json.Json;
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A request's email lives apart from the request, only as long as the request needs it: an erasure
 * leaves no request of the person with an email, and a request never verified drops it within a
 * day. Checked on the raw requests table.
 */
class RequestEmailIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());
  private final String requests = cloud.ref("PrivacyRequestsTable");

  @Test
  void afterAnErasure_noRequestOfThePersonHoldsAnEmail_andAnAbandonedOneDropsItWithinADay()
      throws Exception {
    String email = knownEmail();
    // GIVEN a request never verified, one completed, and one rejected after wrong codes
    String abandoned = newRequest(email, "ACCESS");
    api.codeFor(email, abandoned);
    String access = newRequest(email, "ACCESS");
    assertThat(verify(access, api.codeFor(email, access)).json().path("status").asText())
        .isEqualTo("IN_PROGRESS");
    api.awaitEmail(email, "Request " + access + " is complete");
    String erasure = newRequest(email, "ERASURE");
    String erasureCode = api.codeFor(email, erasure);
    // past the day's emails: no code was sent, so every guess is wrong
    String rejected = newRequest(email, "ACCESS");
    for (int i = 0; i < 3; i++) {
      assertThat(verify(rejected, "000000").status()).isNotEqualTo(200);
    }
    assertThat(raw(pk(rejected)).get("status").s()).isEqualTo("REJECTED");

    // WHEN the person is erased
    Response verified = verify(erasure, erasureCode);
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    awaitStatus(erasure, verified.json().path("requestToken").asText(), "COMPLETED");
    // THEN the completion email still arrives
    api.awaitEmail(email, "Request " + erasure + " is complete");

    Instant now = Instant.now();
    for (String requestId : List.of(abandoned, access, erasure, rejected)) {
      assertThat(raw(pk(requestId))).as(requestId).isNotEmpty().doesNotContainKey("email");
    }
    for (String requestId : List.of(access, erasure, rejected)) {
      awaitGone(RequestEmails.key(requestId));
    }
    Map<String, AttributeValue> left = raw(RequestEmails.key(abandoned));
    assertThat(left).containsKey("expiresAt");
    assertThat(Instant.ofEpochSecond(Long.parseLong(left.get("expiresAt").n())))
        .isAfter(now)
        .isBefore(now.plus(Duration.ofHours(24)).plusSeconds(120));
  }

  @Test
  void anExpiredEmail_isAbsent_neitherRevivedByVerification_norMailed() throws Exception {
    String email = "expired." + UUID.randomUUID() + "@example.com";
    String requestId = newRequest(email, "ACCESS");
    String code = api.codeFor(email, requestId);
    // GIVEN its email item has expired but the table's TTL has not deleted it yet
    cloud
        .emulator()
        .dynamoDb()
        .updateItem(
            b ->
                b.tableName(requests)
                    .key(RequestEmails.key(requestId))
                    .updateExpression("SET expiresAt = :past")
                    .expressionAttributeValues(
                        Map.of(
                            ":past",
                            AttributeValue.fromN(
                                Long.toString(Instant.now().getEpochSecond() - 1)))));

    // WHEN the request is verified and completes (the address is unknown: no data held)
    Response verified = verify(requestId, code);
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    api.awaitCompleted(requestId, verified.json().path("requestToken").asText());

    // THEN the notifier finds no recipient: it forgets the request's key, and no email went out
    for (int i = 0; i < 100 && raw(pk(requestId)).containsKey("wrappedKey"); i++) {
      Thread.sleep(100);
    }
    assertThat(raw(pk(requestId))).doesNotContainKey("wrappedKey");
    assertThat(api.get("/_local/outbox", Map.of()).body()).doesNotContain(requestId + ") about");
    Map<String, AttributeValue> left = raw(RequestEmails.key(requestId));
    if (!left.isEmpty()) {
      assertThat(Long.parseLong(left.get("expiresAt").n()))
          .isLessThanOrEqualTo(Instant.now().getEpochSecond());
    }
  }

  private String knownEmail() throws Exception {
    String email = "mail." + UUID.randomUUID() + "@example.com";
    JsonNode event =
        Json.MAPPER.readTree(Files.readString(ProjectFiles.event("orders/place-order.json")));
    String body = event.path("body").asText().replace("jane.doe@example.com", email);
    assertThat(
            api.send("POST", "/orders", body, Map.of("idempotency-key", "k-" + UUID.randomUUID()))
                .status())
        .isEqualTo(201);
    return email;
  }

  private String newRequest(String email, String type) {
    Response response =
        api.post("/privacy/requests", Map.of("type", type, "email", email), Map.of());
    assertThat(response.status()).isEqualTo(202);
    return response.json().path("requestId").asText();
  }

  private Response verify(String requestId, String code) {
    return api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", code), Map.of());
  }

  private void awaitStatus(String requestId, String token, String status) throws Exception {
    for (int i = 0; i < 150; i++) {
      if (api.get("/privacy/requests/" + requestId, Map.of("authorization", "Bearer " + token))
          .json()
          .path("status")
          .asText()
          .equals(status)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(requestId + " never became " + status);
  }

  /** The notifier deletes an email once the outcome is sent, just after the email is out. */
  private void awaitGone(Map<String, AttributeValue> key) throws Exception {
    for (int i = 0; i < 50 && !raw(key).isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(raw(key)).as(key.toString()).isEmpty();
  }

  private static Map<String, AttributeValue> pk(String requestId) {
    return Map.of("pk", AttributeValue.fromS("request#" + requestId));
  }

  private Map<String, AttributeValue> raw(Map<String, AttributeValue> key) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(b -> b.tableName(requests).key(key).consistentRead(true))
        .item();
  }
}
