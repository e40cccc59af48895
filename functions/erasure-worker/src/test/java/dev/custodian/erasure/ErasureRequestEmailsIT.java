package dev.custodian.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The worker's own part of a request's email lifetime: an erasure deletes the email of the person's
 * other requests once they are told of, and keeps its own and those of requests still to be told of
 * (open ones) for their emails; the notifier deletes those. The flow through the privacy routes is
 * infra/e2e's RequestEmailIT.
 */
class ErasureRequestEmailsIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final String requests = cloud.ref("PrivacyRequestsTable");

  @Test
  void erasure_deletesTheEmailOfTheSubjectsToldRequests_keepsThoseStillToBeTold() {
    ErasureFixture fixture = new ErasureFixture(cloud);
    PrivacyCore observer = fixture.observer();
    String subjectId =
        observer
            .directory()
            .findOrCreateByEmail("other." + UUID.randomUUID() + "@example.com")
            .subjectId();
    String erasure = fixture.verifiedErasure(subjectId);
    String open = seededRequest(subjectId, "RECTIFICATION", "VERIFIED");
    String told = seededRequest(subjectId, "ACCESS", "COMPLETED");
    long until = Instant.now().plus(Duration.ofDays(30)).getEpochSecond();
    RequestKeys keys = new RequestKeys(observer.kms(), observer.config().dataKeyId());
    for (String requestId : List.of(erasure, open, told)) {
      RequestKeys.NewKey key = keys.generate(requestId);
      cloud
          .emulator()
          .dynamoDb()
          .putItem(
              b ->
                  b.tableName(requests)
                      .item(RequestEmails.item(requestId, key.key(), "x@example.com", until)));
    }

    fixture.erasure(Clock.systemUTC()).erase(erasure, subjectId);

    assertThat(fixture.requestsItem(RequestEmails.key(told))).isEmpty();
    // an open request (a second erasure request, say) is still to be answered and told
    assertThat(fixture.requestsItem(RequestEmails.key(open))).containsKey("email");
    assertThat(fixture.requestsItem(RequestEmails.key(erasure))).containsKey("email");
  }

  private String seededRequest(String subjectId, String type, String status) {
    return ErasureFixture.seedRequest(
        cloud.emulator().dynamoDb(), requests, subjectId, type, status, id -> Map.of());
  }
}
