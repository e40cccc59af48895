package dev.custodian.e2e.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.requests.RequestEmails;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two erasure requests of one person (a double click): each erasure keeps the other's email, which
 * is still to be told of, so both completion emails go out — and the notifier then deletes both
 * emails (docs/privacy.md#erasure).
 */
class DoubleErasureIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final String requests = cloud.ref("PrivacyRequestsTable");

  @Test
  void twoErasureRequestsVerifiedBackToBack_bothCompleteAndAreBothTold() throws Exception {
    String email = scenarios.knownEmail("twice");
    String first = scenarios.request("ERASURE", email);
    String second = scenarios.request("ERASURE", email);
    String firstCode = scenarios.code(email, first);
    String secondCode = scenarios.code(email, second);

    Request a = Request.from(first, scenarios.verify(first, firstCode));
    Request b = Request.from(second, scenarios.verify(second, secondCode));

    scenarios.awaitCompleted(a);
    scenarios.awaitCompleted(b);
    for (String requestId : List.of(first, second)) {
      scenarios.awaitEmail(email, "Request " + requestId + " is complete");
    }
    for (String requestId : List.of(first, second)) {
      Map<String, AttributeValue> key = RequestEmails.key(requestId);
      for (int i = 0; i < 50 && !raw(key).isEmpty(); i++) {
        Thread.sleep(100);
      }
      assertThat(raw(key)).as("the email item of %s", requestId).isEmpty();
    }
  }

  private Map<String, AttributeValue> raw(Map<String, AttributeValue> key) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(r -> r.tableName(requests).key(key).consistentRead(true))
        .item();
  }
}
