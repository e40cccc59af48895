package dev.custodian.privacy.requests;

import dev.custodian.local.LocalCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Requests written straight into the requests table, as intake and verification leave them, and
 * read back from it.
 */
final class SeededRequests {

  private SeededRequests() {}

  /** An access request of this status, due then, kept two years; its id. */
  static String put(LocalCloud cloud, String status, Instant due, Instant now, boolean extended) {
    String requestId =
        "r_" + HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 16);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("request#" + requestId));
    item.put("requestId", AttributeValue.fromS(requestId));
    item.put("type", AttributeValue.fromS("ACCESS"));
    item.put("status", AttributeValue.fromS(status));
    item.put("regime", AttributeValue.fromS("GDPR"));
    item.put("receivedAt", AttributeValue.fromS(due.minus(Duration.ofDays(30)).toString()));
    item.put("dueAt", AttributeValue.fromS(due.toString()));
    item.put(
        "expiresAt",
        AttributeValue.fromN(Long.toString(now.plus(Duration.ofDays(700)).getEpochSecond())));
    if (extended) {
      item.put("extendedAt", AttributeValue.fromS(now.toString()));
    }
    cloud
        .emulator()
        .dynamoDb()
        .putItem(b -> b.tableName(cloud.ref("PrivacyRequestsTable")).item(item));
    return requestId;
  }

  /** A request's item as the table holds it now (empty when there is none). */
  static Map<String, AttributeValue> read(LocalCloud cloud, String requestId) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(cloud.ref("PrivacyRequestsTable"))
                    .key(Map.of("pk", AttributeValue.fromS("request#" + requestId)))
                    .consistentRead(true))
        .item();
  }
}
