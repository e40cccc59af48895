package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.http.ApiException;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A wrong code and the right one race on a request's last attempt: the right one verifies the
 * request between the wrong one's read and its write. The wrong one must not turn the verified
 * request into a rejected one.
 */
class VerificationRaceIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());
  private final Map<String, String> env = cloud.environmentOf("PrivacyRequestFunction");
  private final String table = cloud.ref("PrivacyRequestsTable");

  /** Verifies the request, as the right code would, just before the rejection is written. */
  private final class RightCodeFirst implements ExecutionInterceptor {
    private final String requestId;
    private final AtomicBoolean done = new AtomicBoolean();

    RightCodeFirst(String requestId) {
      this.requestId = requestId;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof UpdateItemRequest update
          && update.expressionAttributeValues().containsValue(AttributeValue.fromS("REJECTED"))
          && done.compareAndSet(false, true)) {
        cloud
            .emulator()
            .dynamoDb()
            .updateItem(
                b ->
                    b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS("request#" + requestId)))
                        .updateExpression("SET #s = :verified REMOVE codeHash, codeExpiresAt")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(
                            Map.of(":verified", AttributeValue.fromS("VERIFIED"))));
      }
    }
  }

  @Test
  void lastWrongCode_leavesARequestVerifiedMeanwhileVerified() {
    String email = "race." + UUID.randomUUID() + "@example.com";
    String requestId =
        api.post("/privacy/requests", Map.of("type", "ACCESS", "email", email), Map.of())
            .json()
            .path("requestId")
            .asText();
    String code = new Scenarios(api).code(email, requestId);
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < CodeVerification.CODE_ATTEMPTS - 1; i++) {
      assertThat(
              api.post(
                      "/privacy/requests/" + requestId + "/verify", Map.of("code", wrong), Map.of())
                  .status())
          .isEqualTo(400);
    }
    RightCodeFirst race = new RightCodeFirst(requestId);
    PrivacyCore core =
        new PrivacyCore(
            CoreConfig.fromEnvironment(env),
            AwsClients.fromEnvironment(env).withInterceptors(race),
            Clock.systemUTC());

    assertThatThrownBy(() -> new CodeVerification(core, table).verify(requestId, wrong, "race"))
        .isInstanceOf(ApiException.class);

    assertThat(race.done).isTrue();
    Map<String, AttributeValue> item = SeededRequests.read(cloud, requestId);
    assertThat(item.get("status").s()).isEqualTo("VERIFIED");
  }
}
