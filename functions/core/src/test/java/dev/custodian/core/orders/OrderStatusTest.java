package dev.custodian.core.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderStatusTest {

  private static Set<OrderStatus> next(OrderStatus from) {
    Set<OrderStatus> out = EnumSet.noneOf(OrderStatus.class);
    for (OrderStatus to : OrderStatus.values()) {
      if (from.canMoveTo(to)) {
        out.add(to);
      }
    }
    return out;
  }

  @Test
  void ordersMoveForwardOneStep_andCancelOnlyBeforeShipping() {
    assertThat(next(OrderStatus.RECEIVED))
        .containsExactlyInAnyOrder(OrderStatus.PAID, OrderStatus.CANCELLED);
    assertThat(next(OrderStatus.PAID))
        .containsExactlyInAnyOrder(OrderStatus.PACKED, OrderStatus.CANCELLED);
    assertThat(next(OrderStatus.PACKED))
        .containsExactlyInAnyOrder(OrderStatus.SHIPPED, OrderStatus.CANCELLED);
    assertThat(next(OrderStatus.SHIPPED)).containsExactly(OrderStatus.DELIVERED);
    assertThat(next(OrderStatus.DELIVERED)).isEmpty();
    assertThat(next(OrderStatus.CANCELLED)).isEmpty();
  }

  @Test
  void contactDataIsCorrectable_onlyUntilShipped() {
    assertThat(OrderStatus.PACKED.isOpen()).isTrue();
    assertThat(OrderStatus.SHIPPED.isOpen()).isFalse();
    assertThat(OrderStatus.CANCELLED.isOpen()).isFalse();
  }
}
