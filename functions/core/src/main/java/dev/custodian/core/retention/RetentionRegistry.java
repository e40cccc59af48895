package dev.custodian.core.retention;

import dev.custodian.core.config.RuntimeEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The one registry of retention periods (docs/privacy.md#retention): every write takes its {@code
 * expiresAt} from here, every read treats an item whose {@code expiresAt} has passed as absent
 * (DynamoDB's TTL deletes expired items only within about two days), and exports and docs describe
 * retention in its words.
 */
public final class RetentionRegistry {

  /** The TTL attribute of every table, in epoch seconds. */
  public static final String EXPIRES_AT = "expiresAt";

  private final Map<DataClass, Optional<Duration>> periods;

  private RetentionRegistry(Map<DataClass, Optional<Duration>> periods) {
    this.periods = Collections.unmodifiableMap(new EnumMap<>(periods));
  }

  /**
   * The periods of the template's parameters, with the defaults of docs/privacy.md#retention where
   * one is unset.
   */
  public static RetentionRegistry fromEnvironment(Map<String, String> env) {
    Map<DataClass, Optional<Duration>> periods = new EnumMap<>(DataClass.class);
    for (DataClass dataClass : DataClass.values()) {
      if (dataClass.setting() == null) {
        periods.put(dataClass, Optional.empty());
        continue;
      }
      long amount =
          RuntimeEnvironment.optional(env, dataClass.setting())
              .map(value -> parsePositive(dataClass.setting(), value))
              .orElse(dataClass.defaultAmount());
      periods.put(
          dataClass,
          Optional.of(
              dataClass.unit() == DataClass.Unit.DAYS
                  ? Duration.ofDays(amount)
                  : Duration.ofHours(amount)));
    }
    return new RetentionRegistry(periods);
  }

  /** The defaults of docs/privacy.md#retention. */
  public static RetentionRegistry defaults() {
    return fromEnvironment(Map.of());
  }

  private static long parsePositive(String name, String value) {
    try {
      long amount = Long.parseLong(value.trim());
      if (amount > 0) {
        return amount;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(name + " must be a positive whole number");
  }

  /** How long items of the class are kept; empty when they are kept indefinitely. */
  public Optional<Duration> period(DataClass dataClass) {
    return periods.get(dataClass);
  }

  /** The {@code expiresAt} (epoch seconds) of an item of the class written at {@code from}. */
  public Optional<Long> expiresAt(DataClass dataClass, Instant from) {
    return period(dataClass).map(p -> from.plus(p).getEpochSecond());
  }

  /**
   * The {@code expiresAt} attribute for an item of the class written at {@code from}, for classes
   * that must expire (fails for one kept indefinitely).
   */
  public AttributeValue expiresAtAttribute(DataClass dataClass, Instant from) {
    long epoch =
        expiresAt(dataClass, from)
            .orElseThrow(() -> new IllegalArgumentException(dataClass + " has no retention"));
    return AttributeValue.fromN(Long.toString(epoch));
  }

  /** Whether an item read from a table is still within its retention period at {@code now}. */
  public static boolean isLive(Map<String, AttributeValue> item, Instant now) {
    if (item == null || item.isEmpty()) {
      return false;
    }
    AttributeValue expiresAt = item.get(EXPIRES_AT);
    if (expiresAt == null || expiresAt.n() == null) {
      return true;
    }
    return Long.parseLong(expiresAt.n()) > now.getEpochSecond();
  }

  /** The item when it is live at {@code now}; empty when absent or expired. */
  public static Optional<Map<String, AttributeValue>> live(
      Map<String, AttributeValue> item, Instant now) {
    return isLive(item, now) ? Optional.of(item) : Optional.empty();
  }

  /** The live items of a page of results. */
  public static List<Map<String, AttributeValue>> liveOnly(
      List<Map<String, AttributeValue>> items, Instant now) {
    List<Map<String, AttributeValue>> out = new ArrayList<>(items.size());
    for (Map<String, AttributeValue> item : items) {
      if (isLive(item, now)) {
        out.add(item);
      }
    }
    return out;
  }

  /** One class as exports and docs describe it. */
  public record Notice(
      String dataClass,
      String title,
      String holds,
      String purpose,
      String legalBasis,
      String kept) {}

  /** Every class with its retention in words, in the registry's order. */
  public List<Notice> notices() {
    List<Notice> out = new ArrayList<>();
    for (DataClass dataClass : DataClass.values()) {
      out.add(
          new Notice(
              dataClass.name(),
              dataClass.title(),
              dataClass.holds(),
              dataClass.purpose(),
              dataClass.legalBasis(),
              describe(dataClass)));
    }
    return out;
  }

  private String describe(DataClass dataClass) {
    Optional<Duration> period = period(dataClass);
    if (period.isEmpty()) {
      return "kept (no personal data)";
    }
    Duration d = period.get();
    String amount =
        dataClass.unit() == DataClass.Unit.HOURS
            ? d.toHours() + (d.toHours() == 1 ? " hour" : " hours")
            : d.toDays() + (d.toDays() == 1 ? " day" : " days");
    return switch (dataClass) {
      case SUBJECT_PROFILE -> "until erasure, or " + amount + " after the last activity";
      case ORDER_CONTACT, TRANSACTION -> amount + " after the order";
      case PRIVACY_REQUEST -> amount + " after the request";
      case REQUEST_EMAIL ->
          amount
              + " after the request unless it is verified, then until its due date; deleted once"
              + " the outcome is emailed, and at erasure";
      case TOMBSTONE -> amount + " after the erasure";
      default -> amount;
    };
  }
}
