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

  /** A line as the customer asks for it: what and how many, never a price. */
  record LineItem(String sku, int quantity) {}

  /** A line priced from the catalogue at order time, as the transaction record keeps it. */
  record PricedItem(String sku, int quantity, long unitPrice) {}

  record Payment(String provider, String reference, String cardLast4) {}

  /** A validated order request: no prices, they come from the catalogue ({@link Pricing}). */
  record NewOrder(
      Customer customer,
      Address shippingAddress,
      List<LineItem> items,
      String currency,
      Payment payment,
      String policyVersion) {}

  /** The order's lines with the catalogue's prices, and their total in minor units. */
  record Priced(List<PricedItem> items, long total) {}

  /** One step of an order's status history: no personal data, the operator by principal. */
  record StatusChange(String status, String at, String by) {}
}
