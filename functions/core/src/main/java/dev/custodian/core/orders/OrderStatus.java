package dev.custodian.core.orders;

/**
 * Where an order is: RECEIVED → PAID → PACKED → SHIPPED → DELIVERED, or CANCELLED before it ships.
 */
public enum OrderStatus {
  RECEIVED,
  PAID,
  PACKED,
  SHIPPED,
  DELIVERED,
  CANCELLED;

  public boolean canMoveTo(OrderStatus next) {
    return switch (this) {
      case RECEIVED -> next == PAID || next == CANCELLED;
      case PAID -> next == PACKED || next == CANCELLED;
      case PACKED -> next == SHIPPED || next == CANCELLED;
      case SHIPPED -> next == DELIVERED;
      case DELIVERED, CANCELLED -> false;
    };
  }

  /** Whether the customer's contact data may still be corrected (nothing has shipped). */
  public boolean isOpen() {
    return this == RECEIVED || this == PAID || this == PACKED;
  }
}
