package dev.custodian.orders;

import java.util.List;

/** The values of an order, as placed and as stored. */
final class Order {

  private Order() {}

  record Customer(String email, String name, String phone) {}

  record Address(
      String name,
      String line1,
      String line2,
      String city,
      String region,
      String postalCode,
      String country) {}

  record LineItem(String sku, int quantity, long unitPrice) {}

  record Payment(String provider, String reference, String cardLast4) {}

  /** A validated order request. The total is computed here, never taken from the client. */
  record NewOrder(
      Customer customer,
      Address shippingAddress,
      List<LineItem> items,
      String currency,
      Payment payment,
      String policyVersion) {

    long total() {
      long total = 0;
      for (LineItem item : items) {
        total = Math.addExact(total, Math.multiplyExact(item.unitPrice(), item.quantity()));
      }
      return total;
    }
  }

  /** One step of an order's status history: no personal data, the operator by principal. */
  record StatusChange(String status, String at, String by) {}
}
