package dev.custodian.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.custodian.core.PrivacyCore;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Tombstones: kept while a backup could bring an erased person back, no longer
 * (docs/privacy.md#keys).
 */
class TombstoneIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ErasureFixture fixture = new ErasureFixture(cloud);
  private final PrivacyCore core = fixture.observer();

  private Map<String, AttributeValue> tombstone(String subjectId) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(fixture.tables().tombstones())
                    .key(Map.of("pk", AttributeValue.fromS("subject#" + subjectId)))
                    .consistentRead(true))
        .item();
  }

  @Test
  void aTombstone_expiresOnceTheLongestBackupWindowAndItsMarginHavePassed() {
    String subjectId =
        core.directory()
            .findOrCreateByEmail("tombstone." + UUID.randomUUID() + "@example.com")
            .subjectId();
    String requestId = fixture.verifiedErasure(subjectId);

    fixture.erasure(Clock.systemUTC()).erase(requestId, subjectId);

    Map<String, AttributeValue> tombstone = tombstone(subjectId);
    assertThat(tombstone).containsKey("expiresAt");
    long days = Long.parseLong(fixture.env().get("RETENTION_TOMBSTONE_DAYS"));
    assertThat(days)
        .as("the data tables' point-in-time recovery window is 35 days")
        .isGreaterThan(35);
    Instant erasedAt = Instant.parse(tombstone.get("erasedAt").s());
    assertThat(Long.parseLong(tombstone.get("expiresAt").n()))
        .isEqualTo(erasedAt.plus(Duration.ofDays(days)).getEpochSecond());
  }

  @Test
  void reapplyingTombstones_goesThroughThemInSlices_eachContinuedByTheNextMessage() {
    var dynamo = cloud.emulator().dynamoDb();
    var sqs = cloud.emulator().sqs();
    // A queue of the test's own, so the test drives the slices (the local cloud would run them).
    String queue = sqs.createQueue(b -> b.queueName("reapply-" + UUID.randomUUID())).queueUrl();
    ErasureWorker worker =
        new ErasureWorker(fixture.erasure(Clock.systemUTC()), new ReapplyQueue(sqs, queue));
    // Erased subjects whose contact messages a restore has brought back.
    List<String> restored = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String subjectId = "s_" + UUID.randomUUID().toString().replace("-", "");
      dynamo.putItem(
          b ->
              b.tableName(fixture.tables().tombstones())
                  .item(
                      Map.of(
                          "pk", AttributeValue.fromS("subject#" + subjectId),
                          "subjectId", AttributeValue.fromS(subjectId))));
      String ticket = "ticket#t_" + UUID.randomUUID().toString().replace("-", "");
      dynamo.putItem(
          b ->
              b.tableName(fixture.tables().contact())
                  .item(
                      Map.of(
                          "pk", AttributeValue.fromS(ticket),
                          "subjectId", AttributeValue.fromS(subjectId))));
      restored.add(ticket);
    }

    String body = ReapplyQueue.message(null);
    List<Integer> leftAfterEachSlice = new ArrayList<>();
    for (int slice = 0; body != null && slice < 200; slice++) {
      SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
      message.setMessageId("slice-" + slice);
      message.setBody(body);
      SQSEvent event = new SQSEvent();
      event.setRecords(List.of(message));
      assertThat(worker.handleRequest(event, null).getBatchItemFailures()).isEmpty();
      leftAfterEachSlice.add(stillThere(restored));
      var next = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)).messages();
      assertThat(next).as("at most one continuation per slice").hasSizeLessThanOrEqualTo(1);
      body = next.isEmpty() ? null : next.get(0).body();
      if (body != null) {
        assertThat(body).contains("\"after\"");
      }
    }

    assertThat(leftAfterEachSlice.get(0))
        .as("one invocation does not go through 60 tombstones at once")
        .isGreaterThan(0);
    assertThat(leftAfterEachSlice).hasSizeGreaterThanOrEqualTo(3).last().isEqualTo(0);
  }

  private int stillThere(List<String> tickets) {
    int count = 0;
    for (String ticket : tickets) {
      var item =
          cloud
              .emulator()
              .dynamoDb()
              .getItem(
                  b ->
                      b.tableName(fixture.tables().contact())
                          .key(Map.of("pk", AttributeValue.fromS(ticket)))
                          .consistentRead(true))
              .item();
      if (item != null && !item.isEmpty()) {
        count++;
      }
    }
    return count;
  }
}
