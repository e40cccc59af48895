package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A subject key lives while its person is active and at least as long as the records sealed under
 * it (docs/privacy.md#keys): read straight from the key store after each kind of activity.
 */
class SubjectKeyLifetimeIT {

  private static final long DAY = Duration.ofDays(1).toSeconds();

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();
  private final Map<String, String> env = cloud.environmentOf("AccountFunction");
  private final PrivacyCore core =
      new PrivacyCore(
          CoreConfig.fromEnvironment(env), AwsClients.fromEnvironment(env), Clock.systemUTC());
  private final String marker = UUID.randomUUID().toString().substring(0, 8);

  private long days(String setting) {
    return Long.parseLong(env.get(setting));
  }

  private Map<String, AttributeValue> subjectItem(String subjectId) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(cloud.ref("SubjectsTable"))
                    .key(Map.of("pk", AttributeValue.fromS("subject#" + subjectId)))
                    .consistentRead(true))
        .item();
  }

  /** The subject's key and its lookups, each with its expiresAt (epoch seconds). */
  private List<Long> expiries(String subjectId) {
    Map<String, AttributeValue> subject = subjectItem(subjectId);
    List<Long> out = new java.util.ArrayList<>();
    out.add(Long.parseLong(subject.get("expiresAt").n()));
    for (String lookup : subject.get("lookups").ss()) {
      out.add(
          Long.parseLong(
              cloud
                  .emulator()
                  .dynamoDb()
                  .getItem(
                      b ->
                          b.tableName(cloud.ref("SubjectsTable"))
                              .key(Map.of("pk", AttributeValue.fromS(lookup)))
                              .consistentRead(true))
                  .item()
                  .get("expiresAt")
                  .n()));
    }
    return out;
  }

  /** The key and its lookups, as if the person had been away until a few days before expiry. */
  private void nearlyExpire(String subjectId) {
    long soon = Instant.now().getEpochSecond() + 5 * DAY;
    Map<String, AttributeValue> subject = subjectItem(subjectId);
    List<String> keys = new java.util.ArrayList<>(subject.get("lookups").ss());
    keys.add("subject#" + subjectId);
    for (String pk : keys) {
      cloud
          .emulator()
          .dynamoDb()
          .updateItem(
              b ->
                  b.tableName(cloud.ref("SubjectsTable"))
                      .key(Map.of("pk", AttributeValue.fromS(pk)))
                      .updateExpression("SET expiresAt = :soon")
                      .expressionAttributeValues(
                          Map.of(":soon", AttributeValue.fromN(Long.toString(soon)))));
    }
  }

  private void assertLivesAtLeast(String subjectId, long days, String why) {
    long from = Instant.now().getEpochSecond() - 60;
    assertThat(expiries(subjectId))
        .as(why)
        .allSatisfy(e -> assertThat(e).isGreaterThanOrEqualTo(from + days * DAY));
  }

  @Test
  void anOrder_keepsTheKeyAsLongAsItsTransactionRecord_soTheSealedReferenceStaysReadable()
      throws Exception {
    String email = "keylife.order." + marker + "@example.com";
    scenarios.placeOrder(email);
    String subjectId = core.directory().findByEmail(email).orElseThrow();
    assertLivesAtLeast(
        subjectId, days("RETENTION_TRANSACTION_DAYS"), "a new customer's key and lookup");

    nearlyExpire(subjectId);
    scenarios.placeOrder(email);
    // The order container remembers the email, with its old expiry: it must still extend.
    assertLivesAtLeast(
        subjectId, days("RETENTION_TRANSACTION_DAYS"), "a returning customer's key and lookup");
  }

  @Test
  void aContactMessage_extendsANearlyExpiredKey() {
    String email = "keylife.contact." + marker + "@example.com";
    String subjectId = core.directory().findOrCreateByEmail(email).subjectId();
    nearlyExpire(subjectId);

    Response sent =
        api.post(
            "/contact",
            Map.of(
                "email", email,
                "topic", "OTHER",
                "message", "Still here",
                "policyVersion", "2026-11-01"),
            Map.of());

    assertThat(sent.status()).isEqualTo(202);
    assertLivesAtLeast(
        subjectId, days("RETENTION_SUBJECT_INACTIVE_DAYS"), "the sender is active again");
  }

  @Test
  void aSignIn_extendsANearlyExpiredAccountKey() {
    String sub = "keylife-" + marker;
    String token =
        api.post(
                "/_local/token",
                Map.of("sub", sub, "email", "keylife.account." + marker + "@example.com"),
                Map.of())
            .json()
            .path("token")
            .asText();
    Map<String, String> bearer = Map.of("authorization", "Bearer " + token);
    assertThat(api.get("/me", bearer).status()).isEqualTo(200);
    String subjectId = core.directory().findByAccount(sub).orElseThrow();
    nearlyExpire(subjectId);

    assertThat(api.get("/me", bearer).status()).isEqualTo(200);

    assertThat(core.directory().findByAccount(sub)).contains(subjectId);
    assertLivesAtLeast(
        subjectId, days("RETENTION_SUBJECT_INACTIVE_DAYS"), "the account holder signed in");
  }

  @Test
  void aVerifiedRequest_extendsANearlyExpiredKey() {
    String email = "keylife.request." + marker + "@example.com";
    String subjectId = core.directory().findOrCreateByEmail(email).subjectId();
    nearlyExpire(subjectId);

    scenarios.verifiedRequest("ACCESS", email);

    assertLivesAtLeast(
        subjectId, days("RETENTION_SUBJECT_INACTIVE_DAYS"), "the person made a request");
  }
}
