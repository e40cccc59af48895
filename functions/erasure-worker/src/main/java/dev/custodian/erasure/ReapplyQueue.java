package dev.custodian.erasure;

import dev.custodian.core.json.Json;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the re-application of tombstones continues: the next slice is a message on the erasure
 * queue carrying the last tombstone done ({@code after}), so no invocation scans them all and a
 * crash resumes from the last slice rather than from the start.
 */
record ReapplyQueue(SqsClient sqs, String queueUrl) {

  /** The message that starts a re-application (or continues it after {@code after}). */
  static String message(String after) {
    return after == null
        ? Json.write(Map.of("reapply", true))
        : Json.write(Map.of("reapply", true, "after", after));
  }

  void continueAfter(String after) {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message(after)));
  }
}
