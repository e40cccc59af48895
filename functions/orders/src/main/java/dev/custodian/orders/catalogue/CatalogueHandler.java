package dev.custodian.orders.catalogue;

import dev.custodian.core.catalogue.CatalogueTable;
import dev.custodian.core.catalogue.Product;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.orders.OrdersWiring;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /catalogue} and {@code GET /catalogue/{sku}}: the products on sale, public and
 * cacheable. An inactive product is not shown (404), as one that does not exist.
 */
public final class CatalogueHandler extends ApiHandler {

  private final CatalogueTable catalogue;

  public CatalogueHandler() {
    this(OrdersWiring.fromEnvironment().catalogue());
    // refused before any call
    prime("GET /catalogue/{sku}", "/catalogue/%20", null);
  }

  CatalogueHandler(CatalogueTable catalogue) {
    this.catalogue = catalogue;
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    var ifNoneMatch = request.header("if-none-match");
    if ("GET /catalogue".equals(request.routeKey())) {
      List<Map<String, Object>> products =
          catalogue.list().stream()
              .filter(Product::active)
              .map(CatalogueViews::publicView)
              .toList();
      return CatalogueViews.cacheable(Map.of("products", products), ifNoneMatch);
    }
    String sku =
        request
            .pathParameter("sku")
            .filter(s -> CatalogueViews.SKU.matcher(s).matches())
            .orElseThrow(ApiException::notFound);
    Product product =
        catalogue.get(sku).filter(Product::active).orElseThrow(ApiException::notFound);
    return CatalogueViews.cacheable(CatalogueViews.publicView(product), ifNoneMatch);
  }
}
