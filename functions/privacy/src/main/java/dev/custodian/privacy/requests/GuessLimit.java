package dev.custodian.privacy.requests;

import dev.custodian.core.retention.RetentionRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * At most {@value #LIMIT} wrong codes per address in any {@link #WINDOW}, across all its requests,
 * so that more requests never mean more guesses. The address's item (by its blind index, never the
 * email) holds {@value #LIMIT} slots, each the time of one guess. A guess takes a free slot (empty,
 * or older than the window) <em>before</em> its code is compared; a right code gives its slot back
 * in the transaction that verifies the request. So every wrong code of the window is in a slot, and
 * when no slot is free the address is refused until one ages out, however many guesses arrive at
 * once.
 */
final class GuessLimit {

  static final int LIMIT = 10;
  static final Duration WINDOW = Duration.ofHours(24);

  /** Conflicting guesses re-read the slots this often; past that the guess is refused. */
  private static final int TRIES = 5;

  private final DynamoDbClient dynamoDb;
  private final String table;

  GuessLimit(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  /** The slot a guess holds: given back if its code is right. */
  record Slot(String emailIndex, String name, String value) {}

  /** Takes a slot for one guess; empty when the address has no free slot (the limit is reached). */
  Optional<Slot> take(String emailIndex, Instant now) {
    Map<String, AttributeValue> key = key(emailIndex);
    long windowStart = now.minus(WINDOW).toEpochMilli();
    for (int attempt = 0; attempt < TRIES; attempt++) {
      Map<String, AttributeValue> item =
          dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
      String free = null;
      AttributeValue seen = null;
      long oldest = Long.MAX_VALUE;
      for (int i = 0; i < LIMIT && (free == null || seen != null); i++) {
        String name = "guess" + i;
        AttributeValue value = item == null ? null : item.get(name);
        if (value == null) {
          free = name;
          seen = null;
        } else {
          long at = Long.parseLong(value.s().substring(0, value.s().indexOf(':')));
          if (at <= windowStart && at < oldest) {
            free = name;
            seen = value;
            oldest = at;
          }
        }
      }
      if (free == null) {
        return Optional.empty();
      }
      String slot = free;
      String mine =
          now.toEpochMilli() + ":" + HexFormat.of().formatHex(RequestItems.randomBytes(8));
      Map<String, AttributeValue> values =
          seen == null
              ? Map.of(":mine", AttributeValue.fromS(mine), ":expires", expiresAt(now))
              : Map.of(
                  ":mine", AttributeValue.fromS(mine),
                  ":expires", expiresAt(now),
                  ":seen", seen);
      try {
        dynamoDb.updateItem(
            b ->
                b.tableName(table)
                    .key(key)
                    .updateExpression("SET #slot = :mine, #expires = :expires")
                    .conditionExpression(
                        values.containsKey(":seen")
                            ? "#slot = :seen"
                            : "attribute_not_exists(#slot)")
                    .expressionAttributeNames(
                        Map.of("#slot", slot, "#expires", RetentionRegistry.EXPIRES_AT))
                    .expressionAttributeValues(values));
        return Optional.of(new Slot(emailIndex, slot, mine));
      } catch (ConditionalCheckFailedException takenMeanwhile) {
        // another guess took this slot first: look again
      }
    }
    return Optional.empty();
  }

  /** Gives a right code's slot back, as part of the transaction that verifies its request. */
  TransactWriteItem giveBack(Slot slot) {
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(key(slot.emailIndex()))
                    .updateExpression("REMOVE #slot")
                    .conditionExpression("#slot = :mine")
                    .expressionAttributeNames(Map.of("#slot", slot.name()))
                    .expressionAttributeValues(Map.of(":mine", AttributeValue.fromS(slot.value()))))
        .build();
  }

  private static Map<String, AttributeValue> key(String emailIndex) {
    return Map.of("pk", AttributeValue.fromS("guesses#" + emailIndex));
  }

  /** The item outlives its newest slot by the window, then goes by itself (TTL). */
  private static AttributeValue expiresAt(Instant now) {
    return AttributeValue.fromN(Long.toString(now.plus(WINDOW).getEpochSecond() + 60));
  }
}
