package dev.custodian.core.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.crypto.FieldAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The orders table's stored layout: what other functions and restored backups depend on. */
class OrderItemsTest {

  private static final AttributeValue SEALED = AttributeValue.fromS("sealed");
  private static final AttributeValue EXPIRES = AttributeValue.fromN("1900000000");

  private static OrderItems.Transaction placed() {
    return new OrderItems.Transaction(
        "o_1",
        "s_1",
        "2026-01-01T00:00:00Z",
        OrderStatus.RECEIVED,
        List.of(new OrderItems.Line("SKU-1", 2, 1500L)),
        3000,
        "EUR",
        "card",
        AttributeValue.fromS("sealed-reference"),
        null,
        "4242",
        "2026-01",
        List.of(
            new OrderItems.Step(
                OrderStatus.RECEIVED, "2026-01-01T00:00:00Z", "customer", null, null)),
        1,
        false);
  }

  @Test
  void transactionRecord_keepsItsAttributeNamesAndKey() {
    Map<String, AttributeValue> item = OrderItems.toItem(placed(), EXPIRES);

    assertThat(item)
        .containsOnlyKeys(
            "pk",
            "sk",
            "orderId",
            "subjectId",
            "createdAt",
            "status",
            "items",
            "total",
            "currency",
            "paymentProvider",
            "paymentReference",
            "cardLast4",
            "policyVersion",
            "history",
            "version",
            "expiresAt");
    assertThat(item.get("pk").s()).isEqualTo("order#o_1");
    assertThat(item.get("sk").s()).isEqualTo("transaction");
    assertThat(item.get("items").l().get(0).m()).containsOnlyKeys("sku", "quantity", "unitPrice");
    assertThat(item.get("history").l().get(0).m()).containsOnlyKeys("status", "at", "by");
  }

  @Test
  void transactionRecord_readsBackAsWritten() {
    assertThat(OrderItems.transaction(OrderItems.toItem(placed(), EXPIRES))).isEqualTo(placed());
  }

  @Test
  void sealedValues_areBoundToTheAddressesTheirWritersUsed() {
    assertThat(OrderItems.Sealed.EMAIL.at("o_1"))
        .isEqualTo(new FieldAddress("orders", "order#o_1/contact", "email"));
    assertThat(OrderItems.Sealed.PROVIDER_REFERENCE.at("o_1"))
        .isEqualTo(new FieldAddress("orders", "order#o_1/transaction", "providerReference"));
    assertThat(OrderItems.noteAddress("o_1", 2))
        .isEqualTo(new FieldAddress("orders", "order#o_1/transaction", "note#2"));
  }

  @Test
  void itemsOfAnOrder_areGroupedInTheOrderTheKeysNameThem() {
    Map<String, AttributeValue> transaction = OrderItems.toItem(placed(), EXPIRES);
    Map<String, AttributeValue> contact =
        OrderItems.toItem(
            new OrderItems.Contact(
                "o_1", "s_1", "2026-01-01T00:00:00Z", 1, SEALED, SEALED, null, SEALED),
            EXPIRES);
    List<Map<String, AttributeValue>> keys =
        List.of(
            OrderItems.transactionKey("o_2"),
            OrderItems.contactKey("o_1"),
            OrderItems.transactionKey("o_1"));

    List<OrderItems.Held> held = OrderItems.held(keys, List.of(contact, transaction));

    assertThat(held).extracting(OrderItems.Held::orderId).containsExactly("o_1");
    assertThat(held.get(0).transaction()).isEqualTo(placed());
    assertThat(held.get(0).contact().phone()).isNull();
    assertThat(contact).containsKeys("email", "name", "shippingAddress").doesNotContainKey("phone");
    assertThat(contact.get("sk").s()).isEqualTo("contact");
  }
}
