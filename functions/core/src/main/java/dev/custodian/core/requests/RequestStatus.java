package dev.custodian.core.requests;

import java.util.Arrays;
import java.util.List;

/**
 * Where a data-subject request stands, as its item's {@code status} holds it. A request is taken
 * pending verification; a code or a login verifies it; a verified erasure or access request is in
 * progress while its worker runs; it ends completed, rejected (its code failed) or denied (by an
 * operator). A finished request never moves again.
 */
public enum RequestStatus {
  PENDING_VERIFICATION,
  VERIFIED,
  IN_PROGRESS,
  COMPLETED,
  REJECTED,
  DENIED;

  public boolean canMoveTo(RequestStatus next) {
    return switch (this) {
      case PENDING_VERIFICATION -> next == VERIFIED || next == REJECTED || next == DENIED;
      case VERIFIED -> next == IN_PROGRESS || next == COMPLETED || next == DENIED;
      case IN_PROGRESS -> next == COMPLETED;
      case COMPLETED, REJECTED, DENIED -> false;
    };
  }

  /** Not finished yet: an operator may still extend its deadline. */
  public boolean isOpen() {
    return this == PENDING_VERIFICATION || this == VERIFIED || this == IN_PROGRESS;
  }

  /**
   * Verified and not answered yet: the shop owes an answer by the due date. A request never
   * verified is not one the shop can answer.
   */
  public boolean isOwed() {
    return this == VERIFIED || this == IN_PROGRESS;
  }

  /** The open statuses, in the order they are reached. */
  public static List<RequestStatus> open() {
    return Arrays.stream(values()).filter(RequestStatus::isOpen).toList();
  }

  /** The statuses in which an answer is owed, in the order they are reached. */
  public static List<RequestStatus> owed() {
    return Arrays.stream(values()).filter(RequestStatus::isOwed).toList();
  }
}
