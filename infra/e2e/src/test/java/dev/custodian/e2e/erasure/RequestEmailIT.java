package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.requests.RequestEmails;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
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
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();
  private final String requests = cloud.ref("PrivacyRequestsTable");

  @Test
  void afterAnErasure_noRequestOfThePersonHoldsAnEmail_andAnAbandonedOneDropsItWithinADay()
      throws Exception {
    String email = scenarios.knownEmail("mail");
    // GIVEN a request never verified, one completed, and one rejected after wrong codes
    String abandoned = scenarios.request("ACCESS", email);
    scenarios.code(email, abandoned);
    String access = scenarios.request("ACCESS", email);
    assertThat(
            scenarios.verify(access, scenarios.code(email, access)).json().path("status").asText())
        .isEqualTo("IN_PROGRESS");
    scenarios.awaitEmail(email, "Request " + access + " is complete");
    String erasure = scenarios.request("ERASURE", email);
    String erasureCode = scenarios.code(email, erasure);
    // past the day's emails: no code was sent, so every guess is wrong
    String rejected = scenarios.request("ACCESS", email);
    for (int i = 0; i < 3; i++) {
      assertThat(scenarios.verify(rejected, "000000").status()).isNotEqualTo(200);
    }
    assertThat(raw(pk(rejected)).get("status").s()).isEqualTo("REJECTED");

    // WHEN the person is erased
    Response verified = scenarios.verify(erasure, erasureCode);
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    scenarios.awaitCompleted(Request.from(erasure, verified));
    // THEN the completion email still arrives
    scenarios.awaitEmail(email, "Request " + erasure + " is complete");

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
    String requestId = scenarios.request("ACCESS", email);
    String code = scenarios.code(email, requestId);
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
    Response verified = scenarios.verify(requestId, code);
    assertThat(verified.json().path("status").asText()).isEqualTo("IN_PROGRESS");
    scenarios.awaitCompleted(Request.from(requestId, verified));

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
