package dev.custodian.orders;

import dev.custodian.core.catalogue.PriceList;
import dev.custodian.core.catalogue.Product;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prices an order from the catalogue: the shop sets prices, the client only names products and
 * quantities. Every problem names its line, so the client can fix the basket.
 */
final class Pricing {

  private final PriceList prices;

  Pricing(PriceList prices) {
    this.prices = prices;
  }

  Order.Priced price(Order.NewOrder order) {
    List<ApiException.FieldProblem> problems = new ArrayList<>();
    Set<String> skus = new LinkedHashSet<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < order.items().size(); i++) {
      String sku = order.items().get(i).sku();
      if (firstLine.putIfAbsent(sku, i) != null) {
        problems.add(
            new ApiException.FieldProblem(
                "items[" + i + "].sku", "appears in items[" + firstLine.get(sku) + "] already"));
      }
      skus.add(sku);
    }
    if (!problems.isEmpty()) {
      throw refused(problems);
    }
    Map<String, Optional<Product>> products = prices.products(skus);
    List<Order.PricedItem> priced = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < order.items().size(); i++) {
      Order.LineItem line = order.items().get(i);
      Optional<Product> product = products.get(line.sku());
      String field = "items[" + i + "].sku";
      if (product.isEmpty() || !product.get().active()) {
        problems.add(new ApiException.FieldProblem(field, "is not a product on sale"));
        continue;
      }
      if (!product.get().currency().equals(order.currency())) {
        problems.add(
            new ApiException.FieldProblem(
                "currency", "must be " + product.get().currency() + ", the currency of " + field));
        continue;
      }
      priced.add(new Order.PricedItem(line.sku(), line.quantity(), product.get().unitPrice()));
      try {
        total =
            Math.addExact(total, Math.multiplyExact(product.get().unitPrice(), line.quantity()));
      } catch (ArithmeticException e) {
        throw new ApiException(ErrorCode.VALIDATION_FAILED, "The order total is too large.");
      }
    }
    if (!problems.isEmpty()) {
      throw refused(problems);
    }
    return new Order.Priced(List.copyOf(priced), total);
  }

  private static ApiException refused(List<ApiException.FieldProblem> problems) {
    return new ApiException(ErrorCode.VALIDATION_FAILED, "The request is not valid.", problems);
  }
}
