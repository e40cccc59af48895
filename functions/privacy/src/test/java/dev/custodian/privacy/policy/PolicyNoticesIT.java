package dev.custodian.privacy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.json.Json;
import dev.custodian.core.notify.Notifications.Notification;
import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A material version emails every account holder once, through the notification queue: accounts
 * without an email are skipped, and neither a repeated publication, a redelivered page or notice,
 * nor a send that failed midway makes anyone hear twice (or not at all).
 */
// The paged scenario goes last: its sixty accounts would otherwise be told of every later
// scenario's version too, and the notifier sends those at its reserved concurrency, a few a second.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyNoticesIT {

  private static final Map<String, String> OPERATOR =
      Map.of("authorization", ApiClient.OPERATOR_SIGNATURE);

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  /** An account with a profile; its email is vouched for by the identity provider or not. */
  private String account(String email, boolean verified) {
    String sub = "acct-" + UUID.randomUUID();
    String token =
        api.post(
                "/_local/token",
                Map.of(
                    "sub",
                    sub,
                    "email",
                    email,
                    "email_verified",
                    Boolean.toString(verified),
                    "auth_time",
                    Instant.now().getEpochSecond()),
                Map.of())
            .json()
            .path("token")
            .asText();
    assertThat(
            api.send(
                    "PUT",
                    "/me",
                    Json.write(Map.of("version", 0, "name", "Account Holder")),
                    Map.of("authorization", "Bearer " + token))
                .status())
        .isEqualTo(200);
    return sub;
  }

  /** How many notices of the version reached the address. */
  private int notices(String email, String version) {
    return scenarios.emails(email, "Version " + version + " takes effect").size();
  }

  private void awaitNotice(String email, String version) {
    for (int i = 0; i < 600 && notices(email, version) == 0; i++) {
      sleep(100);
    }
    assertThat(notices(email, version)).as("notices to an account holder").isEqualTo(1);
  }

  /**
   * Until every queue consumer is idle: whatever the last step queued (notices, pages, retries
   * after a failed send) has been handled, so a count read now is final.
   */
  private void awaitQuiet() {
    assertThat(cloud.awaitQueues(Duration.ofSeconds(60))).as("queues idle").isTrue();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String publishMaterial() {
    String version = "it-m-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(
            api.post(
                    "/admin/privacy/policy/versions",
                    PolicyRouteIT.publication(version, true),
                    OPERATOR)
                .status())
        .isEqualTo(201);
    return version;
  }

  private void enqueue(Notification notification) {
    cloud
        .emulator()
        .sqs()
        .sendMessage(
            b -> b.queueUrl(cloud.ref("NotificationQueue")).messageBody(Json.write(notification)));
  }

  @Test
  void aMaterialVersion_emailsEachAccountHolderOnce_andSkipsAccountsWithoutAnEmail() {
    String first = "holder." + UUID.randomUUID() + "@example.com";
    String second = "holder." + UUID.randomUUID() + "@example.com";
    String unverified = "unverified." + UUID.randomUUID() + "@example.com";
    account(first, true);
    account(second, true);
    account(unverified, false);

    String version = publishMaterial();

    awaitNotice(first, version);
    awaitNotice(second, version);
    // published again (409, no change): the notices are queued again, and turned away
    assertThat(
            api.post(
                    "/admin/privacy/policy/versions",
                    PolicyRouteIT.publication(version, true),
                    OPERATOR)
                .status())
        .isEqualTo(409);
    awaitQuiet();
    assertThat(notices(first, version)).isEqualTo(1);
    assertThat(notices(second, version)).isEqualTo(1);
    assertThat(notices(unverified, version)).isZero();
    // the queue carried ids only
    for (String body : cloud.deliveredMessages("NotificationQueue")) {
      assertThat(body).doesNotContain("@");
    }
    // the profiles hold the mark of the version, and no address in clear
    List<Map<String, AttributeValue>> profiles =
        cloud.emulator().dynamoDb().scan(s -> s.tableName(cloud.ref("ProfilesTable"))).items();
    for (Map<String, AttributeValue> item : profiles) {
      assertThat(item.toString()).doesNotContain(first).doesNotContain(second);
    }
    assertThat(profiles)
        .filteredOn(i -> i.containsKey("policyNotices"))
        .filteredOn(i -> i.get("policyNotices").ss().contains(version))
        .hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aRedeliveredPageOrNotice_sendsNothingTwice() {
    String email = "redelivered." + UUID.randomUUID() + "@example.com";
    account(email, true);
    String version = publishMaterial();
    awaitNotice(email, version);

    // the first page again (a crash after it queued its notices), and every notice again
    enqueue(new Notification(Template.POLICY_NOTICES, null, version));
    awaitQuiet();

    assertThat(notices(email, version)).isEqualTo(1);
  }

  @Test
  void aSendThatFailedMidway_isSentOnTheNextDelivery_once() {
    String email = "crashed." + UUID.randomUUID() + "@example.com";
    account(email, true);
    String notifier = cloud.function("NotifierFunction").name();
    // the notifier's next email fails as if it crashed there: the mark must not stay claimed
    cloud.proxy().failNth(k -> k.startsWith(notifier + "|rest|"), 1, false);
    try {
      String version = publishMaterial();
      awaitNotice(email, version);
      assertThat(cloud.proxy().nthFailed()).isTrue();
      awaitQuiet();
      assertThat(notices(email, version)).isEqualTo(1);
    } finally {
      cloud.proxy().failNth(k -> false, 1, false);
    }
  }

  @Test
  void aNonMaterialVersion_emailsNobody() {
    String email = "quiet." + UUID.randomUUID() + "@example.com";
    account(email, true);
    String version = "it-q-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(
            api.post(
                    "/admin/privacy/policy/versions",
                    PolicyRouteIT.publication(version, false),
                    OPERATOR)
                .status())
        .isEqualTo(201);
    // a forged page message for a version that is not material does nothing either
    enqueue(new Notification(Template.POLICY_NOTICES, null, version));
    awaitQuiet();

    assertThat(notices(email, version)).isZero();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void manyAccounts_arePagedThrough_andEachIsToldOnce() {
    // more accounts than one page of the profiles scan (50), so the job continues on a next page
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String email = "paged" + i + "." + UUID.randomUUID() + "@example.com";
      account(email, true);
      emails.add(email);
    }

    String version = publishMaterial();

    // these addresses receive nothing but the notice: wait until the outbox names them all
    for (int i = 0; i < 300; i++) {
      String outbox = api.get("/_local/outbox", Map.of()).body();
      if (emails.stream().allMatch(outbox::contains)) {
        break;
      }
      sleep(200);
    }
    for (String email : emails) {
      assertThat(notices(email, version)).as(email).isEqualTo(1);
    }
  }
}
