package dev.custodian.orders;

import static dev.custodian.orders.OrderFixtures.OPERATOR;
import static dev.custodian.orders.OrderFixtures.bearer;
import static dev.custodian.orders.OrderFixtures.freshEmail;
import static dev.custodian.orders.OrderFixtures.key;
import static dev.custodian.orders.OrderFixtures.newKey;
import static dev.custodian.orders.OrderFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.MetricLines;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The order routes over HTTP through the local cloud (issue: orders). */
class OrdersRoutesIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  private Response place(ObjectNode body, String key) {
    return api.post("/orders", body, key(key));
  }

  @Test
  void placeReadPayAdvanceAndFulfil_theHappyPath() throws Exception {
    String email = freshEmail();
    Response placed = place(order(email), newKey());

    assertThat(placed.status()).isEqualTo(201);
    JsonNode body = placed.json();
    String orderId = body.path("orderId").asText();
    String token = body.path("orderToken").asText();
    assertThat(orderId).matches("o_[0-9a-f]{32}");
    assertThat(token).hasSizeGreaterThanOrEqualTo(32);
    assertThat(body.path("status").asText()).isEqualTo("RECEIVED");
    assertThat(body.path("total").asLong()).isEqualTo(2 * 1250 + 899);
    assertThat(body.path("currency").asText()).isEqualTo("GBP");

    JsonNode read = api.get("/orders/" + orderId, bearer(token)).json();
    assertThat(read.path("customer").path("email").asText()).isEqualTo(email);
    assertThat(read.path("customer").path("phone").asText()).isEqualTo("+447700900123");
    assertThat(read.path("shippingAddress").path("postalCode").asText()).isEqualTo("SW1A 1AA");
    assertThat(read.path("items")).hasSize(2);
    assertThat(read.path("payment").path("cardLast4").asText()).isEqualTo("4242");
    assertThat(read.path("payment").has("reference")).isFalse();
    assertThat(read.path("history").get(0).has("by")).isFalse();

    assertThat(read.path("items").get(0).path("unitPrice").asLong()).isEqualTo(1250);

    // an operator cannot mark it paid: only the provider's signed event can
    Response manual =
        api.send(
            "PATCH", "/admin/orders/" + orderId + "/status", "{\"status\":\"PAID\"}", OPERATOR);
    assertThat(manual.status()).isEqualTo(400);
    assertThat(api.get("/orders/" + orderId, bearer(token)).json().path("status").asText())
        .isEqualTo("RECEIVED");

    // paid through the provider's signed webhook (the local stand-in signs it), then shipped
    Response paid = api.post("/_local/pay/" + orderId, "", Map.of());
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);
    assertThat(paid.json().path("answer").path("result").asText()).isEqualTo("PAID");
    for (String status : new String[] {"PACKED", "SHIPPED"}) {
      Response changed =
          api.send(
              "PATCH",
              "/admin/orders/" + orderId + "/status",
              "{\"status\":\"" + status + "\",\"note\":\"step " + status + "\"}",
              OPERATOR);
      assertThat(changed.status()).as(status).isEqualTo(200);
    }
    Response backwards =
        api.send(
            "PATCH",
            "/admin/orders/" + orderId + "/status",
            "{\"status\":\"CANCELLED\"}",
            OPERATOR);
    assertThat(backwards.status()).isEqualTo(409);

    JsonNode history = api.get("/orders/" + orderId, bearer(token)).json().path("history");
    assertThat(history)
        .extracting(h -> h.path("status").asText())
        .containsExactly("RECEIVED", "PAID", "PACKED", "SHIPPED");

    Response fulfilment = api.get("/admin/orders/" + orderId + "/fulfilment", OPERATOR);
    assertThat(fulfilment.status()).isEqualTo(200);
    JsonNode view = fulfilment.json();
    Set<String> fields = new HashSet<>();
    view.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactlyInAnyOrder("orderId", "status", "recipient", "shippingAddress", "items");
    assertThat(view.path("recipient").path("name").asText()).isEqualTo("Jane Doe");
    assertThat(view.path("items").get(0).has("unitPrice")).isFalse();
    assertThat(view.toString())
        .doesNotContain(email)
        .doesNotContain("pi_3P")
        .doesNotContain("1250");
  }

  @Test
  void eachValidationRule_answers400NamingTheField_andWritesNothing() throws Exception {
    List<Object[]> cases = new ArrayList<>();
    cases.add(
        new Object[] {
          "customer.email",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("customer")).put("email", "not-an-email")
        });
    cases.add(
        new Object[] {
          "customer.name",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("customer")).put("name", "x".repeat(201))
        });
    cases.add(
        new Object[] {
          "customer.phone",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("customer")).put("phone", "07700 900123")
        });
    cases.add(
        new Object[] {
          "shippingAddress.country",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("shippingAddress")).put("country", "UK")
        });
    cases.add(new Object[] {"currency", (Consumer<ObjectNode>) b -> b.put("currency", "XYZ")});
    cases.add(new Object[] {"items", (Consumer<ObjectNode>) b -> b.putArray("items")});
    cases.add(
        new Object[] {
          "items[0].quantity",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("items").get(0)).put("quantity", 1001)
        });
    cases.add(
        new Object[] {
          "items[0].quantity",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("items").get(0)).put("quantity", 0)
        });
    // The client sets no price: a unitPrice is an unknown field, whatever its value.
    cases.add(
        new Object[] {
          "items[1].unitPrice",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("items").get(1)).put("unitPrice", 0)
        });
    cases.add(
        new Object[] {
          "items[1].unitPrice",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("items").get(1)).put("unitPrice", 899)
        });
    cases.add(
        new Object[] {
          "items[1].sku",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("items").get(1)).put("sku", "NOPE-404")
        });
    cases.add(
        new Object[] {
          "items[1].sku",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("items").get(1)).put("sku", "TEA-001")
        });
    cases.add(
        new Object[] {
          "items[0].quantity",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("items").get(0)).put("quantity", -5)
        });
    cases.add(new Object[] {"currency", (Consumer<ObjectNode>) b -> b.put("currency", "EUR")});
    cases.add(
        new Object[] {
          "payment.cardLast4",
          (Consumer<ObjectNode>) b -> ((ObjectNode) b.path("payment")).put("cardLast4", "42")
        });
    cases.add(
        new Object[] {
          "payment.reference",
          (Consumer<ObjectNode>)
              b -> ((ObjectNode) b.path("payment")).put("reference", "4111 1111 1111 1111")
        });
    cases.add(
        new Object[] {
          "shippingAddress.line2",
          (Consumer<ObjectNode>)
              b -> ((ObjectNode) b.path("shippingAddress")).put("line2", "card 4111-1111-1111-1111")
        });
    cases.add(new Object[] {"total", (Consumer<ObjectNode>) b -> b.put("total", 1)});
    cases.add(
        new Object[] {
          "customer.dateOfBirth",
          (Consumer<ObjectNode>)
              b -> ((ObjectNode) b.path("customer")).put("dateOfBirth", "1990-01-01")
        });
    cases.add(
        new Object[] {"policyVersion", (Consumer<ObjectNode>) b -> b.remove("policyVersion")});

    Map<String, Integer> before = TableCounts.of(cloud);
    for (Object[] c : cases) {
      ObjectNode body = order(freshEmail());
      @SuppressWarnings("unchecked")
      Consumer<ObjectNode> breakIt = (Consumer<ObjectNode>) c[1];
      breakIt.accept(body);
      Response response = place(body, newKey());
      assertThat(response.status()).as(String.valueOf(c[0])).isEqualTo(400);
      assertThat(response.json().path("error").asText()).isEqualTo("validation_failed");
      assertThat(response.json().path("fields"))
          .extracting(f -> f.path("field").asText())
          .as(String.valueOf(c[0]))
          .contains(String.valueOf(c[0]));
      assertThat(response.body()).doesNotContain("4111");
    }
    // the header and the envelope
    assertThat(api.post("/orders", order(freshEmail()), Map.of()).status()).isEqualTo(400);
    assertThat(place(order(freshEmail()), "short").status()).isEqualTo(400);
    assertThat(place(order(freshEmail()), "bad key with spaces").status()).isEqualTo(400);
    assertThat(
            api.send("POST", "/orders", "{\"customer\":", key(newKey()))
                .json()
                .path("error")
                .asText())
        .isEqualTo("malformed_json");
    assertThat(
            api.send(
                    "POST",
                    "/orders",
                    "a=b",
                    Map.of(
                        "content-type",
                        "application/x-www-form-urlencoded",
                        "idempotency-key",
                        newKey()))
                .status())
        .isEqualTo(415);
    assertThat(
            api.send("POST", "/orders", "{\"x\":\"" + "y".repeat(40_000) + "\"}", key(newKey()))
                .status())
        .isEqualTo(413);

    assertThat(TableCounts.of(cloud)).isEqualTo(before);
  }

  @Test
  void idempotency_replaysTheSameAnswer_andRefusesTheKeyWithAnotherBody() throws Exception {
    String idempotencyKey = newKey();
    ObjectNode body = order(freshEmail());
    Response first = place(body, idempotencyKey);
    Response again = place(body, idempotencyKey);

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json()).isEqualTo(first.json());

    ObjectNode other = body.deepCopy();
    ((ObjectNode) other.path("items").get(0)).put("quantity", 3);
    Response reused = place(other, idempotencyKey);
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.json().path("error").asText()).isEqualTo("idempotency_key_reused");
  }

  @Test
  void aPlacedOrder_countsOnceInTheOrdersPlacedMetric_andItsReplayDoesNot() throws Exception {
    ObjectNode body = order(freshEmail());
    String idempotencyKey = newKey();

    MetricLines.Captured<Response> placed =
        MetricLines.during("OrdersPlaced", () -> place(body, idempotencyKey));
    MetricLines.Captured<Response> replayed =
        MetricLines.during("OrdersPlaced", () -> place(body, idempotencyKey));

    assertThat(placed.answer().status()).isEqualTo(201);
    assertThat(placed.lines()).hasSize(1);
    JsonNode line = placed.lines().get(0);
    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(directive.path("Namespace").asText()).isEqualTo("Custodian");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[]]");
    assertThat(line.path("OrdersPlaced").asLong()).isEqualTo(1);
    assertThat(line.toString())
        .doesNotContain(placed.answer().json().path("orderId").asText())
        .doesNotContain(body.path("customer").path("email").asText());
    assertThat(replayed.answer().status()).isEqualTo(201);
    assertThat(replayed.lines()).as("a replay places nothing").isEmpty();
  }

  @Test
  void twentyConcurrentIdenticalRequests_placeOneOrder() throws Exception {
    String idempotencyKey = newKey();
    ObjectNode body = order(freshEmail());
    Map<String, Integer> before = TableCounts.of(cloud);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Response>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return place(body, idempotencyKey);
                }));
      }
      go.countDown();
      Set<String> orderIds = new HashSet<>();
      for (Future<Response> result : results) {
        Response response = result.get();
        assertThat(response.status()).isIn(201, 409);
        if (response.status() == 201) {
          orderIds.add(response.json().path("orderId").asText());
        } else {
          assertThat(response.json().path("error").asText()).isEqualTo("conflict");
        }
      }
      assertThat(orderIds).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    String orders = cloud.ref("OrdersTable");
    assertThat(TableCounts.of(cloud).get(orders) - before.get(orders)).isEqualTo(2);
    // a retry after the race gets the one order back
    assertThat(place(body, idempotencyKey).status()).isEqualTo(201);
  }

  @Test
  void readingAnOrder_isRefusedAlike_withoutTheRightCredential() throws Exception {
    String email = freshEmail();
    JsonNode mine = place(order(email), newKey()).json();
    JsonNode theirs = place(order(freshEmail()), newKey()).json();
    String id = mine.path("orderId").asText();
    String path = "/orders/" + id;

    List<Response> refused = new ArrayList<>();
    refused.add(api.get(path, Map.of()));
    refused.add(api.get(path, bearer("0".repeat(64))));
    refused.add(api.get(path, bearer(theirs.path("orderToken").asText())));
    refused.add(api.get("/orders/o_" + "0".repeat(32), bearer(mine.path("orderToken").asText())));
    refused.add(api.get("/orders/not-an-id", bearer(mine.path("orderToken").asText())));
    for (Response response : refused) {
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.body()).isEqualTo(refused.get(0).body());
    }

    String stranger =
        mint(
            Map.of(
                "sub",
                "acct-" + UUID.randomUUID(),
                "email",
                "x." + UUID.randomUUID() + "@example.com",
                "email_verified",
                "true"));
    assertThat(api.get("/me/orders/" + id, bearer(stranger)).status()).isEqualTo(404);
    String unverified =
        mint(Map.of("sub", "acct-" + UUID.randomUUID(), "email", email, "email_verified", "false"));
    assertThat(api.get("/me/orders/" + id, bearer(unverified)).status()).isEqualTo(404);
    assertThat(api.get("/me/orders/" + id, Map.of()).status()).isEqualTo(401);
    String owner =
        mint(Map.of("sub", "acct-" + UUID.randomUUID(), "email", email, "email_verified", "true"));
    Response own = api.get("/me/orders/" + id, bearer(owner));
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().path("customer").path("email").asText()).isEqualTo(email);

    assertThat(api.get("/admin/orders/" + id + "/fulfilment", Map.of()).status()).isEqualTo(403);
    assertThat(
            api.send("PATCH", "/admin/orders/" + id + "/status", "{\"status\":\"PAID\"}", Map.of())
                .status())
        .isEqualTo(403);
    assertThat(api.get("/admin/orders/" + id + "/fulfilment", bearer(owner)).status())
        .isEqualTo(403);
  }

  @Test
  void rawTables_holdNoneOfTheCustomersPlaintext() throws Exception {
    String marker = UUID.randomUUID().toString().substring(0, 8);
    ObjectNode body = order("canary." + marker + "@example.com");
    ((ObjectNode) body.path("customer")).put("name", "Canary Name " + marker);
    ((ObjectNode) body.path("customer"))
        .put("phone", "+4477009" + marker.replaceAll("[^0-9]", "1").substring(0, 5));
    ((ObjectNode) body.path("shippingAddress")).put("line1", "Canary Street " + marker);
    ((ObjectNode) body.path("payment")).put("reference", "pi_canary_" + marker);
    assertThat(place(body, newKey()).status()).isEqualTo(201);

    String everything = TableCounts.dump(cloud);
    assertThat(everything)
        .doesNotContain(marker)
        .doesNotContain("Canary")
        .doesNotContain(body.path("customer").path("phone").asText());
  }

  private String mint(Map<String, String> claims) {
    return api.post("/_local/token", claims, Map.of()).json().path("token").asText();
  }
}
