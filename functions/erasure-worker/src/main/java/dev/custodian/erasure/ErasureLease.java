package dev.custodian.erasure;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.requests.RequestType;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One delivery's hold on an erasure request: taken with the request's read in one call, for {@link
 * #LEASE}, so that two deliveries of the same request never erase at once and a crashed one's work
 * is resumed once the lease has run out. Only the holder may record the plan or complete the
 * request.
 */
final class ErasureLease {

  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivacyCore core;
  private final String table;

  ErasureLease(PrivacyCore core, String table) {
    this.core = core;
    this.table = table;
  }

  /** The lease held: its owner, and the request as it was when taken (the item and its view). */
  record Held(String owner, Map<String, AttributeValue> item, PrivacyRequest request) {}

  /**
   * Takes the request's lease and reads it, in one call. Empty when the request is complete; {@link
   * Erasure.Busy} while another delivery holds the lease.
   */
  Optional<Held> take(String requestId, String subjectId) {
    String owner = newOwner();
    Instant now = core.clock().instant();
    try {
      Map<String, AttributeValue> item =
          core.dynamoDb()
              .updateItem(
                  PrivacyRequestItems.erasureLease(
                      table, requestId, subjectId, owner, now, now.plus(LEASE)))
              .attributes();
      return Optional.of(new Held(owner, item, PrivacyRequestItems.read(item)));
    } catch (ConditionalCheckFailedException refused) {
      Map<String, AttributeValue> item =
          refused.hasItem() && !refused.item().isEmpty() ? refused.item() : load(requestId);
      if (item == null || item.isEmpty()) {
        throw new IllegalArgumentException("unknown erasure request");
      }
      PrivacyRequest request = PrivacyRequestItems.read(item);
      if (request.type() != RequestType.ERASURE
          || !Objects.equals(subjectId, request.subjectId())) {
        throw new IllegalArgumentException("the message does not match its request");
      }
      if (request.status() == RequestStatus.COMPLETED) {
        return Optional.empty();
      }
      throw new Erasure.Busy();
    }
  }

  private Map<String, AttributeValue> load(String requestId) {
    Map<String, AttributeValue> item =
        core.dynamoDb()
            .getItem(
                b ->
                    b.tableName(table).key(PrivacyRequestItems.key(requestId)).consistentRead(true))
            .item();
    return item == null || item.isEmpty() ? null : item;
  }

  private static String newOwner() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
