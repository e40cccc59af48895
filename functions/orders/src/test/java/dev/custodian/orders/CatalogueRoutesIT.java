package dev.custodian.orders;

import static dev.custodian.orders.OrderFixtures.OPERATOR;
import static dev.custodian.orders.OrderFixtures.bearer;
import static dev.custodian.orders.OrderFixtures.key;
import static dev.custodian.orders.OrderFixtures.newKey;
import static dev.custodian.orders.OrderFixtures.orderOf;
import static dev.custodian.orders.OrderFixtures.placed;
import static dev.custodian.orders.OrderFixtures.product;
import static dev.custodian.orders.OrderFixtures.putProduct;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalogue routes, and orders priced from the catalogue, through the local cloud. */
class CatalogueRoutesIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  @Test
  void theSampleCatalogue_isServed_cacheable_andRevalidatedWithItsETag() {
    Response list = api.get("/catalogue", Map.of());
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().path("products").size()).isGreaterThanOrEqualTo(12);
    assertThat(list.json().path("products").toString()).contains("TEA-001").contains("MUG-002");
    assertThat(list.header("cache-control")).isEqualTo("public, max-age=60");
    String etag = list.header("etag");
    assertThat(etag).matches("\"[0-9a-f]{32}\"");

    Response again = api.get("/catalogue", Map.of("if-none-match", etag));
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    Response tea = api.get("/catalogue/TEA-001", Map.of());
    assertThat(tea.status()).isEqualTo(200);
    assertThat(tea.json().path("unitPrice").asLong()).isEqualTo(1250);
    assertThat(tea.json().path("currency").asText()).isEqualTo("GBP");
    String teaTag = tea.header("etag");
    assertThat(teaTag).isNotBlank();
    assertThat(api.get("/catalogue/TEA-001", Map.of("if-none-match", teaTag)).status())
        .isEqualTo(304);
    assertThat(api.get("/catalogue/TEA-001", Map.of("if-none-match", "\"stale\"")).status())
        .isEqualTo(200);

    assertThat(api.get("/catalogue/NOPE-404", Map.of()).status()).isEqualTo(404);
    assertThat(api.get("/catalogue/bad%20sku", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void operatorRoutes_withoutIam_areRefused_andWriteNothing() {
    Map<String, Integer> before = TableCounts.of(cloud);
    String body = "{\"name\":\"Free\",\"unitPrice\":0,\"currency\":\"GBP\"}";
    assertThat(api.send("PUT", "/admin/catalogue/TEA-001", body, Map.of()).status()).isEqualTo(403);
    assertThat(api.send("DELETE", "/admin/catalogue/TEA-001", null, Map.of()).status())
        .isEqualTo(403);
    String account =
        api.post("/_local/token", Map.of("sub", "acct-x"), Map.of()).json().path("token").asText();
    assertThat(api.send("PUT", "/admin/catalogue/TEA-001", body, bearer(account)).status())
        .isEqualTo(403);
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
    assertThat(api.get("/catalogue/TEA-001", Map.of()).json().path("unitPrice").asLong())
        .isEqualTo(1250);
  }

  @Test
  void operatorChanges_areValidated_andAudited() {
    String sku = product(api, 500);
    Response bad =
        api.send(
            "PUT",
            "/admin/catalogue/" + sku,
            "{\"name\":\"x\",\"unitPrice\":-1,\"currency\":\"GBP\",\"colour\":\"red\"}",
            OPERATOR);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("fields"))
        .extracting(f -> f.path("field").asText())
        .contains("unitPrice", "colour");
    assertThat(api.send("DELETE", "/admin/catalogue/NOPE-" + sku, null, OPERATOR).status())
        .isEqualTo(404);
    // a free product and a null "active" are an operator's slips, refused
    for (String slip :
        List.of(
            "{\"name\":\"x\",\"unitPrice\":0,\"currency\":\"GBP\"}",
            "{\"name\":\"x\",\"unitPrice\":100,\"currency\":\"GBP\",\"active\":null}")) {
      assertThat(api.send("PUT", "/admin/catalogue/" + sku, slip, OPERATOR).status())
          .as(slip)
          .isEqualTo(400);
    }
    assertThat(api.get("/catalogue/" + sku, Map.of()).json().path("unitPrice").asLong())
        .isEqualTo(500);

    Response off = api.send("DELETE", "/admin/catalogue/" + sku, null, OPERATOR);
    assertThat(off.status()).isEqualTo(200);
    assertThat(off.header("apigw-requestid")).isNotBlank();
    var entries = OrderFixtures.audit(cloud).forRequest(off.header("apigw-requestid"));
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).recordId()).isEqualTo(sku);
    assertThat(entries.get(0).action()).isEqualTo("DELETE");
    assertThat(entries.get(0).actorType()).isEqualTo("OPERATOR");
    assertThat(api.get("/catalogue/" + sku, Map.of()).status()).isEqualTo(404);
  }

  @Test
  void totals_comeFromTheCatalogue_andAPriceChangeLeavesPlacedOrdersAsTheyWere() throws Exception {
    String sku = product(api, 500);
    JsonNode first = placed(api, orderOf(sku, 3));
    assertThat(first.path("total").asLong()).isEqualTo(1500);

    putProduct(api, sku, 700, true);
    // A new price reaches new orders within the price cache's minute; a fresh container at once.
    cloud.retireContainers("PlaceOrderFunction");
    JsonNode second = placed(api, orderOf(sku, 3));
    assertThat(second.path("total").asLong()).isEqualTo(2100);

    JsonNode read =
        api.get(
                "/orders/" + first.path("orderId").asText(),
                bearer(first.path("orderToken").asText()))
            .json();
    assertThat(read.path("total").asLong()).isEqualTo(1500);
    assertThat(read.path("items").get(0).path("unitPrice").asLong()).isEqualTo(500);
  }

  @Test
  void unknownAndInactiveProducts_andHugeQuantities_areRefusedNamingTheLine() throws Exception {
    String sku = product(api, 250);
    putProduct(api, sku, 250, false);
    cloud.retireContainers("PlaceOrderFunction");
    Map<String, Integer> before = TableCounts.of(cloud);

    var inactive = orderOf("TEA-001", 1);
    inactive.withArray("items").addObject().put("sku", sku).put("quantity", 1);
    Response refused = api.post("/orders", inactive, key(newKey()));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("fields").get(0).path("field").asText())
        .isEqualTo("items[1].sku");

    assertThat(api.post("/orders", orderOf("NOPE-404", 1), key(newKey())).status()).isEqualTo(400);
    assertThat(api.post("/orders", orderOf("TEA-001", 100_000), key(newKey())).status())
        .isEqualTo(400);
    assertThat(api.post("/orders", orderOf("TEA-001", -1), key(newKey())).status()).isEqualTo(400);
    assertThat(TableCounts.of(cloud)).isEqualTo(before);
  }

  @Test
  void aReturningCustomersWarmOrder_ofCachedProducts_isOneDynamoDbCall() throws Exception {
    // GIVEN a warm container that has priced these products and seen this customer
    var body = orderOf("TEA-001", 2);
    body.withArray("items").addObject().put("sku", "MUG-002").put("quantity", 1);
    placed(api, body);
    String function = cloud.function("PlaceOrderFunction").name();
    cloud.proxy().reset();
    // WHEN the customer orders again, 20 times
    for (int i = 0; i < 20; i++) {
      placed(api, body);
    }
    // THEN each order is one transaction: no catalogue read while the prices are cached
    assertThat(cloud.proxy().count(function, "dynamodb"))
        .as(cloud.proxy().operations(function, "dynamodb"))
        .isEqualTo(20);
    assertThat(cloud.proxy().operations(function, "dynamodb")).doesNotContain("BatchGetItem");
  }
}
