package dev.custodian.core.dynamo;

import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Why DynamoDB cancelled a transaction: the reasons come one per item, in the order the items were
 * sent, so a caller that knows where it put an item can tell which condition failed.
 */
public final class Cancellations {

  public static final String CONDITION_FAILED = "ConditionalCheckFailed";
  public static final String CONFLICT = "TransactionConflict";

  private Cancellations() {}

  /** Whether the item at {@code index} was cancelled with {@code code}. */
  public static boolean at(TransactionCanceledException e, int index, String code) {
    return e.hasCancellationReasons()
        && e.cancellationReasons().size() > index
        && code.equals(e.cancellationReasons().get(index).code());
  }

  /** Whether the item at {@code index} failed its condition. */
  public static boolean conditionFailedAt(TransactionCanceledException e, int index) {
    return at(e, index, CONDITION_FAILED);
  }

  /** Whether any item was cancelled with {@code code}. */
  public static boolean any(TransactionCanceledException e, String code) {
    if (!e.hasCancellationReasons()) {
      return false;
    }
    for (CancellationReason reason : e.cancellationReasons()) {
      if (code.equals(reason.code())) {
        return true;
      }
    }
    return false;
  }
}
