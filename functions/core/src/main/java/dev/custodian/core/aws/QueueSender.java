package dev.custodian.core.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Puts a message on an SQS queue: the one SQS operation a request path needs. */
@FunctionalInterface
public interface QueueSender {

  void send(String queueUrl, String body);

  /** Through the SDK's SQS client (workers that also read queues hold one anyway). */
  static QueueSender of(SqsClient sqs) {
    return (queueUrl, body) -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
  }

  /**
   * SQS's {@code SendMessage} as one signed JSON call, without the SDK's SQS client: a function
   * whose request path only sends messages does not load that client's classes on its cold start.
   * Throttling and SQS's own failures are tried twice more, as the SDK's default retries would.
   */
  static QueueSender signed(AwsClients clients, String caller) {
    SignedJsonCall call = new SignedJsonCall(clients, "sqs", "sqs", caller);
    Map<String, String> headers =
        Map.of(
            "Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "AmazonSQS.SendMessage");
    return (queueUrl, body) -> {
      ObjectNode request = Json.MAPPER.createObjectNode();
      request.put("QueueUrl", queueUrl).put("MessageBody", body);
      byte[] payload = Json.write(request).getBytes(StandardCharsets.UTF_8);
      call.postRetrying("/", headers, payload);
    };
  }
}
