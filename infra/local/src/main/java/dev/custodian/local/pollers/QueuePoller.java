package dev.custodian.local.pollers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping: receives batches, invokes the function, deletes what succeeded
 * and leaves reported failures (or the whole batch, when the function throws) to reappear after the
 * visibility timeout, so that redrive to the dead-letter queue happens as in AWS.
 */
final class QueuePoller implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SqsClient sqs;
  private final FunctionHost host;
  private final FunctionSpec.QueueSource source;
  private final String queueUrl;
  private final String region;
  private final Thread thread;
  private final dev.custodian.local.iam.IamGate iam;
  private volatile boolean running = true;
  private volatile boolean invoking;

  /** The bodies delivered so far, as they were on the queue (tests read them raw). */
  private final java.util.concurrent.ConcurrentLinkedDeque<String> delivered =
      new java.util.concurrent.ConcurrentLinkedDeque<>();

  QueuePoller(
      SqsClient sqs,
      FunctionHost host,
      FunctionSpec.QueueSource source,
      String queueUrl,
      String region,
      dev.custodian.local.iam.IamGate iam) {
    this.iam = iam;
    this.sqs = sqs;
    this.host = host;
    this.source = source;
    this.queueUrl = queueUrl;
    this.region = region;
    this.thread = new Thread(this::run, "poller-" + host.spec().logicalId());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        pollOnce();
      } catch (RuntimeException e) {
        if (running) {
          System.err.println(
              "[poller] " + host.spec().logicalId() + ": " + e.getClass().getSimpleName());
          sleep(1000);
        }
      }
    }
  }

  /** One receive-invoke-delete cycle; returns how many messages were received. */
  int pollOnce() {
    List<Message> batch = receive();
    if (batch.isEmpty()) {
      return 0;
    }
    for (Message message : batch) {
      delivered.addLast(message.body());
      if (delivered.size() > 10_000) {
        delivered.pollFirst();
      }
    }
    invoking = true;
    try {
      return deliver(batch);
    } finally {
      invoking = false;
    }
  }

  /**
   * Whether this consumer has nothing to do: no message waiting or in flight on its queue (delayed
   * ones aside), and no batch in its function.
   */
  boolean idle() {
    if (invoking) {
      return false;
    }
    var attributes =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                .APPROXIMATE_NUMBER_OF_MESSAGES,
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributesAsStrings();
    return !invoking
        && "0".equals(attributes.getOrDefault("ApproximateNumberOfMessages", "0"))
        && "0".equals(attributes.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
  }

  private int deliver(List<Message> batch) {
    String response;
    try {
      response = host.invoke(event(batch).toString(), UUID.randomUUID().toString());
    } catch (FunctionHost.InvocationFailed e) {
      // The whole batch returns to the queue after its visibility timeout.
      System.err.println(
          "[poller] " + host.spec().logicalId() + " failed a batch of " + batch.size());
      return batch.size();
    }
    Set<String> failed = source.reportsItemFailures() ? failures(response, batch) : Set.of();
    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
    for (Message message : batch) {
      if (!failed.contains(message.messageId())) {
        done.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(String.valueOf(done.size()))
                .receiptHandle(message.receiptHandle())
                .build());
      }
    }
    if (!done.isEmpty()) {
      permit("sqs:DeleteMessage");
      sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
    }
    return batch.size();
  }

  String queueUrl() {
    return queueUrl;
  }

  List<String> delivered() {
    return List.copyOf(delivered);
  }

  /** Lambda polls with the function's role: the poll is denied where the role does not allow. */
  private void permit(String action) {
    iam.check(
            host.spec().logicalId(),
            dev.custodian.local.iam.AccessRequest.of(action, source.queueArn()))
        .ifPresent(
            denial -> {
              throw new IllegalStateException(denial.line());
            });
  }

  private List<Message> receive() {
    permit("sqs:ReceiveMessage");
    List<Message> batch = new ArrayList<>();
    long deadline = System.currentTimeMillis() + source.batchingWindowSeconds() * 1000L;
    do {
      int wanted = Math.min(10, source.batchSize() - batch.size());
      batch.addAll(
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(wanted)
                          .waitTimeSeconds(1)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .messageAttributeNames("All"))
              .messages());
    } while (running && batch.size() < source.batchSize() && System.currentTimeMillis() < deadline);
    return batch;
  }

  /**
   * The ids the function reported as failed. As in AWS, a response that names an id not in the
   * batch (or an empty one) fails the whole batch.
   */
  private static Set<String> failures(String response, List<Message> batch) {
    Set<String> all = new HashSet<>();
    batch.forEach(m -> all.add(m.messageId()));
    JsonNode result;
    try {
      result = JSON.readTree(response);
    } catch (IOException e) {
      return Set.of();
    }
    Set<String> failed = new HashSet<>();
    if (result == null) {
      return failed;
    }
    for (JsonNode failure : result.path("batchItemFailures")) {
      String id = failure.path("itemIdentifier").asText("");
      if (!all.contains(id)) {
        return all;
      }
      failed.add(id);
    }
    return failed;
  }

  private ObjectNode event(List<Message> batch) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message message : batch) {
      ObjectNode record = records.addObject();
      record.put("messageId", message.messageId());
      record.put("receiptHandle", message.receiptHandle());
      record.put("body", message.body());
      ObjectNode attributes = record.putObject("attributes");
      message.attributesAsStrings().forEach(attributes::put);
      ObjectNode messageAttributes = record.putObject("messageAttributes");
      for (Map.Entry<String, MessageAttributeValue> a : message.messageAttributes().entrySet()) {
        ObjectNode value = messageAttributes.putObject(a.getKey());
        value.put("stringValue", a.getValue().stringValue());
        if (a.getValue().binaryValue() != null) {
          value.put("binaryValue", a.getValue().binaryValue().asByteArray());
        }
        value.putArray("stringListValues");
        value.putArray("binaryListValues");
        value.put("dataType", a.getValue().dataType());
      }
      record.put("md5OfBody", message.md5OfBody());
      record.put("eventSource", "aws:sqs");
      record.put("eventSourceARN", source.queueArn());
      record.put("awsRegion", region);
    }
    return event;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
