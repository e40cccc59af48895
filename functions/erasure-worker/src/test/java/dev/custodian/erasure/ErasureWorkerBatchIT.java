package dev.custodian.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.json.Json;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The worker's answer to a batch: only the bad message is reported; the others complete. */
class ErasureWorkerBatchIT {

  private final LocalCloud cloud = SharedLocalCloud.get();

  @Test
  void aBatchOfTenWithOneMalformedMessage_reportsOnlyThatOne() {
    Map<String, String> env = cloud.environmentOf("ErasureWorkerFunction");
    RuntimeEnvironment.install(env);
    ErasureWorker worker = new ErasureWorker();
    Map<String, String> accountEnv = cloud.accountEnvironmentOf("ErasureWorkerFunction");
    PrivacyCore core =
        new PrivacyCore(
            CoreConfig.fromEnvironment(accountEnv),
            AwsClients.fromEnvironment(accountEnv),
            Clock.systemUTC());
    String requests = env.get("PRIVACY_REQUESTS_TABLE");
    List<SQSEvent.SQSMessage> messages = new ArrayList<>();
    List<String> requestIds = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String subjectId =
          core.directory()
              .findOrCreateByEmail("batch." + UUID.randomUUID() + "@example.com")
              .subjectId();
      String requestId =
          ErasureFixture.seedRequest(
              cloud.emulator().dynamoDb(),
              requests,
              subjectId,
              "ERASURE",
              "IN_PROGRESS",
              id -> Map.of());
      requestIds.add(requestId);
      messages.add(
          message("m" + i, Json.write(Map.of("requestId", requestId, "subjectId", subjectId))));
    }
    messages.add(4, message("bad", "{\"requestId\": 42"));
    SQSEvent event = new SQSEvent();
    event.setRecords(messages);

    SQSBatchResponse response = worker.handleRequest(event, null);

    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("bad");
    for (String requestId : requestIds) {
      assertThat(
              cloud
                  .emulator()
                  .dynamoDb()
                  .getItem(
                      b ->
                          b.tableName(requests)
                              .key(Map.of("pk", AttributeValue.fromS("request#" + requestId)))
                              .consistentRead(true))
                  .item()
                  .get("status")
                  .s())
          .isEqualTo("COMPLETED");
    }
  }

  private static SQSEvent.SQSMessage message(String id, String body) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(id);
    message.setBody(body);
    return message;
  }
}
