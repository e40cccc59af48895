package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Queues deliver at least once: erasure and notification messages delivered three times in a row
 * and three times at once have one effect, and a malformed message is reported alone and ends in
 * the dead-letter queue after its receives, while the rest of its batch completes.
 */
class DuplicatesAndPoisonIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  private static String sqsEvent(String messageId, String body) throws Exception {
    ObjectNode event = JSON.createObjectNode();
    ObjectNode record = event.putArray("Records").addObject();
    record.put("messageId", messageId);
    record.put("receiptHandle", "handle-" + messageId);
    record.put("body", body);
    record.putObject("attributes").put("ApproximateReceiveCount", "1");
    record.putObject("messageAttributes");
    record.put("eventSource", "aws:sqs");
    record.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:queue");
    record.put("awsRegion", "us-east-1");
    return event.toString();
  }

  /**
   * Runs the same invocation three times in a row, then three times at once. The workers' reserved
   * concurrency (2) throttles one of three at once: as Lambda's poller does with a throttled batch,
   * it is delivered again.
   */
  private void sixTimes(String function, String event) throws Exception {
    for (int i = 0; i < 3; i++) {
      cloud.invoke(function, event);
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<String>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(pool.submit(() -> invokeUntilNotThrottled(function, event)));
      }
      for (Future<String> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private String invokeUntilNotThrottled(String function, String event) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return cloud.invoke(function, event);
      } catch (IllegalStateException e) {
        if (attempt >= 200 || !String.valueOf(e.getMessage()).contains("Rate Exceeded")) {
          throw e;
        }
        Thread.sleep(25);
      }
    }
  }

  @Test
  void anErasureDeliveredSixMoreTimes_erasesOnce() throws Exception {
    String email = "dup.erase." + UUID.randomUUID() + "@example.com";
    assertThat(
            api.post(
                    "/orders",
                    Scenarios.orderBody(email),
                    Map.of("idempotency-key", "dup-" + UUID.randomUUID()))
                .status())
        .isEqualTo(201);
    Request request = scenarios.verifiedRequest("ERASURE", email);
    String requestId = request.id();
    String token = request.token();
    String subjectId =
        Reliability.attribute(cloud, "PrivacyRequestsTable", "request#" + requestId, "subjectId");
    String message =
        JSON.writeValueAsString(Map.of("requestId", requestId, "subjectId", subjectId));

    sixTimes("ErasureWorkerFunction", sqsEvent("erase-" + UUID.randomUUID(), message));

    for (int i = 0; i < 100 && !"COMPLETED".equals(status(requestId, token)); i++) {
      Thread.sleep(100);
    }
    assertThat(status(requestId, token)).isEqualTo("COMPLETED");
    int erasures = 0;
    for (var item :
        cloud
            .emulator()
            .dynamoDb()
            .scanPaginator(b -> b.tableName(cloud.ref("AuditTable")))
            .items()) {
      if (requestId.equals(s(item, "requestId")) && "ERASE".equals(s(item, "action"))) {
        erasures++;
      }
    }
    Reliability.figure(
        "Duplicates and poison",
        "erasure message: queued once, then 3 in a row and 3 at once",
        erasures + " erasure audit record(s)");
    assertThat(erasures).isEqualTo(1);
  }

  @Test
  void aNotificationDeliveredSixTimes_sendsOneEmail() throws Exception {
    String email = "dup.notify." + UUID.randomUUID() + "@example.com";
    String ticket =
        api.post(
                "/contact",
                Map.of(
                    "email",
                    email,
                    "topic",
                    "OTHER",
                    "message",
                    "hello",
                    "policyVersion",
                    "2026-11-01"),
                Map.of())
            .json()
            .path("ticketId")
            .asText();
    scenarios.awaitEmail(email, ticket); // the receipt the queue delivered
    String subjectId =
        Reliability.attribute(cloud, "ContactTable", "ticket#" + ticket, "subjectId");
    String body =
        JSON.writeValueAsString(
            Map.of("template", "CONTACT_RECEIPT", "subjectId", subjectId, "recordId", ticket));

    sixTimes("NotifierFunction", sqsEvent("notify-" + UUID.randomUUID(), body));

    int receipts = scenarios.emails(email, ticket).size();
    Reliability.figure(
        "Duplicates and poison",
        "notification: one message id delivered 3 in a row and 3 at once",
        (receipts - 1) + " email(s) for it (plus the one queued at submission)");
    assertThat(receipts).isEqualTo(2);
  }

  @Test
  void aMalformedMessage_endsInTheDeadLetterQueue_andTheRestOfItsBatchCompletes() throws Exception {
    var sqs = cloud.emulator().sqs();
    String poison = "{\"not\": \"an erasure " + UUID.randomUUID() + "\"}";
    String good = "{\"reapply\":true}";
    sqs.sendMessageBatch(
        b ->
            b.queueUrl(cloud.ref("ErasureQueue"))
                .entries(
                    e -> e.id("poison").messageBody(poison), e -> e.id("good").messageBody(good)));
    boolean deadLettered = false;
    long start = System.nanoTime();
    while (!deadLettered && System.nanoTime() - start < 60_000_000_000L) {
      for (var m :
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(cloud.ref("ErasureDeadLetterQueue"))
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(2))
              .messages()) {
        if (m.body().equals(poison)) {
          deadLettered = true;
        }
        sqs.deleteMessage(
            b -> b.queueUrl(cloud.ref("ErasureDeadLetterQueue")).receiptHandle(m.receiptHandle()));
      }
    }
    long delivered =
        cloud.deliveredMessages("ErasureQueue").stream().filter(poison::equals).count();
    long goodDelivered =
        cloud.deliveredMessages("ErasureQueue").stream().filter(good::equals).count();
    Reliability.figure(
        "Duplicates and poison",
        "malformed erasure message in a batch with a good one",
        String.format(
            "delivered %d times, dead-lettered after %.0f s; the good one delivered %d time(s)",
            delivered, (System.nanoTime() - start) / 1e9, goodDelivered));
    assertThat(deadLettered).isTrue();
    assertThat(delivered).isEqualTo(5); // the queue's maxReceiveCount
    assertThat(goodDelivered).isGreaterThanOrEqualTo(1);
  }

  private String status(String requestId, String token) {
    return api.get("/privacy/requests/" + requestId, Map.of("authorization", "Bearer " + token))
        .json()
        .path("status")
        .asText();
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? item.get(name).s() : null;
  }
}
