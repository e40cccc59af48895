package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.TableCounts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated bad input for every public and account route, seeded and reproducible: wrong types,
 * missing and unknown fields, huge and deeply nested JSON, odd Unicode (NUL, bidi controls, lone
 * surrogates), numbers at and past their limits, wrong content types, invalid UTF-8, empty and
 * truncated bodies, hostile path ids. Every answer must be a 4xx with the JSON error shape (never a
 * 5xx), and no table may change.
 */
class MalformedInputIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long SEED = Long.getLong("custodian.reliability.seed", 20261124L);
  private static final String[] ODD = {
    "\u0000", "\u202e", "\u2066", "\u0007", "\u001b[31m", "\u202a", "\u2069"
  };

  private static final String DEEP = "__deep_nesting__";

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  /** A route: its method and path, a valid body to start from, and its required fields. */
  record Route(String method, String path, String sample, List<String> required, boolean account) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static Stream<Arguments> routes() throws Exception {
    return Stream.of(
            new Route(
                "POST",
                "/orders",
                body("orders/place-order.json"),
                List.of(
                    "customer", "shippingAddress", "items", "currency", "payment", "policyVersion"),
                false),
            new Route("GET", "/orders/{id}", null, List.of(), false),
            new Route("GET", "/catalogue/{id}", null, List.of(), false),
            // unsigned, as every generated input is: refused before the body is read
            new Route(
                "POST",
                "/payments/events",
                body("payments/payment-event.json"),
                List.of("eventId", "orderId", "amount", "currency", "outcome", "providerReference"),
                false),
            new Route(
                "POST",
                "/contact",
                body("contact/submit.json"),
                List.of("email", "topic", "message", "policyVersion"),
                false),
            new Route(
                "POST",
                "/events",
                body("analytics/ingest.json"),
                List.of("visitorId", "sessionId", "consent", "events"),
                false),
            new Route(
                "POST",
                "/events/forget",
                body("analytics/forget.json"),
                List.of("visitorId"),
                false),
            new Route(
                "POST",
                "/privacy/requests",
                body("privacy/create-request.json"),
                List.of("type", "email"),
                false),
            new Route(
                "POST",
                "/privacy/requests/{id}/verify",
                body("privacy/verify-request.json"),
                List.of("code"),
                false),
            new Route("GET", "/privacy/requests/{id}", null, List.of(), false),
            new Route("GET", "/privacy/requests/{id}/export", null, List.of(), false),
            new Route("GET", "/privacy/policy", null, List.of(), false),
            new Route("GET", "/me", null, List.of(), true),
            new Route("PUT", "/me", body("account/update-profile.json"), List.of("version"), true),
            new Route("GET", "/me/orders", null, List.of(), true),
            new Route("GET", "/me/orders/{id}", null, List.of(), true),
            new Route(
                "POST",
                "/me/privacy-requests",
                body("account/create-request.json"),
                List.of("type"),
                true))
        .map(Arguments::of);
  }

  private static String body(String sample) throws Exception {
    return JSON.readTree(Files.readString(ProjectFiles.event(sample))).path("body").asText();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void badInput_isRefusedWithTheErrorShape_andWritesNothing(Route route) throws Exception {
    int count = Reliability.count(300, 10_000);
    Random random = new Random(SEED ^ route.toString().hashCode());
    Map<String, String> auth = new HashMap<>();
    if (route.account()) {
      auth.put(
          "authorization",
          "Bearer "
              + cloud.mintToken(
                  Map.of(
                      "sub",
                      "fuzz-" + UUID.randomUUID(),
                      "email",
                      "fuzz@example.com",
                      "email_verified",
                      "true")));
    }
    if (route.account()) {
      // the account's first request creates its subject: a legitimate write, before counting
      assertThat(api.get("/me", auth).status()).isEqualTo(200);
    }
    Map<String, Integer> before = TableCounts.of(cloud);
    Map<Integer, Integer> statuses = new TreeMap<>();
    Map<String, Integer> kinds = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Input input = route.sample() == null ? forPath(route, random) : forBody(route, random);
      kinds.merge(input.kind(), 1, Integer::sum);
      Map<String, String> headers = new LinkedHashMap<>(auth);
      headers.putAll(input.headers());
      ApiClient.Response response =
          api.sendBytes(route.method(), input.path(), input.body(), headers);
      statuses.merge(response.status(), 1, Integer::sum);
      String problem = judge(route, response);
      if (problem != null && problems.size() < 20) {
        String sent =
            input.body() == null ? input.path() : new String(input.body(), StandardCharsets.UTF_8);
        problems.add(
            input.kind()
                + " (#"
                + i
                + "): "
                + problem
                + " for "
                + sent.substring(0, Math.min(400, sent.length())));
      }
    }
    Reliability.figure(
        "Malformed input",
        route.toString(),
        count + " inputs, answers " + statuses + ", kinds " + kinds.keySet().size());
    assertThat(problems).as("seed %d", SEED).isEmpty();
    assertThat(TableCounts.of(cloud)).as("no table changed").isEqualTo(before);
  }

  /** Null when the answer is right: a 4xx, with the JSON error shape. */
  private static String judge(Route route, ApiClient.Response response) {
    int status = response.status();
    if (status >= 500) {
      return "answered " + status;
    }
    if (status < 400) {
      return route.path().equals("/privacy/policy")
              || (route.path().equals("/me") || route.path().equals("/me/orders"))
                  && route.method().equals("GET")
          ? null // a read that ignores what it was sent
          : "accepted (" + status + ")";
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      boolean functionError = body.path("error").isTextual() && body.path("message").isTextual();
      boolean gatewayError = body.size() == 1 && body.path("message").isTextual();
      return functionError || gatewayError ? null : "not the error shape: " + response.body();
    } catch (Exception e) {
      return "not JSON (" + status + ")";
    }
  }

  /** One generated request. */
  record Input(String kind, String path, byte[] body, Map<String, String> headers) {}

  private Input forPath(Route route, Random random) {
    String[] ids = {
      "o_" + "0".repeat(32),
      "../../etc/passwd",
      "%00",
      "r_" + "f".repeat(5000),
      "\u202e" + UUID.randomUUID(),
      "' OR '1'='1",
      "\ud83d\ude00",
      "x".repeat(random.nextInt(300)),
      "%25ZZ",
      "o_0123456789abcdef0123456789abcdeg"
    };
    String id = ids[random.nextInt(ids.length)];
    String encoded =
        id.startsWith("%") ? id : URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    String path = route.path().replace("{id}", encoded);
    if (random.nextBoolean()) {
      path += "?" + URLEncoder.encode("q" + random.nextInt(), StandardCharsets.UTF_8) + "=%E0%80";
    }
    Map<String, String> headers = new HashMap<>();
    if (!route.account()) {
      String[] tokens = {
        "Bearer ",
        "Bearer " + "a".repeat(4000),
        "Basic Zm9vOmJhcg==",
        "Bearer \u0000",
        "bearer x y z"
      };
      headers.put("authorization", tokens[random.nextInt(tokens.length)].replace("\u0000", "%00"));
    }
    return new Input("path-id", path, null, headers);
  }

  private Input forBody(Route route, Random random) throws Exception {
    String path =
        route.path().replace("{id}", "r_" + UUID.randomUUID().toString().replace("-", ""));
    Map<String, String> headers = new HashMap<>();
    headers.put("idempotency-key", "fuzz-" + UUID.randomUUID());
    int whole = random.nextInt(10);
    if (whole == 0) {
      return wholeBody(path, headers, random);
    }
    ObjectNode body = (ObjectNode) JSON.readTree(route.sample());
    String kind = mutate(body, route, random);
    // now and then an unknown field on top (not a second change of a value: that could undo the
    // first, as a full run showed, turning a broken body back into a valid one)
    if (random.nextInt(4) == 0) {
      randomObject(body, random).put("also" + random.nextInt(1000), true);
      kind = kind + "+unknown-field";
    }
    String text = JSON.writeValueAsString(body);
    int depth = 600 + random.nextInt(4000);
    text = text.replace("\"" + DEEP + "\"", "[".repeat(depth) + "1" + "]".repeat(depth));
    return new Input(kind, path, text.getBytes(StandardCharsets.UTF_8), headers);
  }

  private Input wholeBody(String path, Map<String, String> headers, Random random) {
    byte[][] bodies = {
      new byte[0],
      "null".getBytes(StandardCharsets.UTF_8),
      "[]".getBytes(StandardCharsets.UTF_8),
      "\"text\"".getBytes(StandardCharsets.UTF_8),
      "{\"a\":".getBytes(StandardCharsets.UTF_8),
      "{} trailing".getBytes(StandardCharsets.UTF_8),
      "{\"type\":\"ACCESS\",\"type\":\"ERASURE\"}".getBytes(StandardCharsets.UTF_8),
      new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
      new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'},
      "{\"a\":1e999999}".getBytes(StandardCharsets.UTF_8),
      ("{\"a\":\"" + "\\ud800" + "\"}").getBytes(StandardCharsets.UTF_8),
      "<xml/>".getBytes(StandardCharsets.UTF_8),
      ("{\"a\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8),
    };
    int pick = random.nextInt(bodies.length);
    Map<String, String> h = new HashMap<>(headers);
    String[] types = {
      "application/json",
      "text/plain",
      "application/xml",
      "application/json; charset=latin1",
      "multipart/form-data"
    };
    h.put(
        "content-type",
        pick == 11 || random.nextInt(3) == 0
            ? types[random.nextInt(types.length)]
            : "application/json");
    return new Input("whole-body-" + pick, path, bodies[pick], h);
  }

  /** Breaks the body in one way that no valid request has; answers the kind. */
  private String mutate(ObjectNode body, Route route, Random random) {
    switch (random.nextInt(7)) {
      case 0 -> {
        if (route.required().isEmpty()) {
          body.put("unexpected", 1);
          return "unknown-field";
        }
        body.remove(route.required().get(random.nextInt(route.required().size())));
        return "missing-field";
      }
      case 1 -> {
        ObjectNode target = randomObject(body, random);
        target.put("x" + random.nextInt(1000), "extra");
        return "unknown-field";
      }
      case 2 -> {
        replaceLeaf(body, random, wrongType(random));
        return "wrong-type";
      }
      case 3 -> {
        replaceLeaf(body, random, NODES.textNode("y".repeat(5_001 + random.nextInt(60_000))));
        return "huge-string";
      }
      case 4 -> {
        // spliced in as text when the body is written: deeper than the JSON writer allows
        replaceLeaf(body, random, NODES.textNode(DEEP));
        return "deep-nesting";
      }
      case 5 -> {
        String odd = ODD[random.nextInt(ODD.length)];
        replaceText(body, random, odd);
        return "odd-unicode";
      }
      default -> {
        JsonNode[] numbers = {
          NODES.numberNode(-1),
          NODES.numberNode(1.5),
          NODES.numberNode(java.math.BigInteger.ONE.shiftLeft(63)),
          NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
          NODES.numberNode(new java.math.BigDecimal("1e400")),
          NODES.numberNode(Double.MAX_VALUE)
        };
        if (!replaceNumber(body, numbers[random.nextInt(numbers.length)], random)) {
          replaceLeaf(body, random, numbers[random.nextInt(numbers.length)]);
        }
        return "number-limits";
      }
    }
  }

  private static JsonNode wrongType(Random random) {
    // never null: for an optional field, null may rightly mean "absent"
    return switch (random.nextInt(4)) {
      case 0 -> NODES.numberNode(random.nextInt());
      case 1 -> NODES.booleanNode(true);
      case 2 -> NODES.arrayNode().add("a");
      default -> NODES.objectNode().put("k", "v");
    };
  }

  private static ObjectNode randomObject(ObjectNode root, Random random) {
    List<ObjectNode> objects = new ArrayList<>();
    collect(root, objects);
    return objects.get(random.nextInt(objects.size()));
  }

  private static void collect(JsonNode node, List<ObjectNode> objects) {
    if (node instanceof ObjectNode o) {
      objects.add(o);
    }
    node.forEach(child -> collect(child, objects));
  }

  /** Replaces a randomly chosen leaf (a field's value) with another, of another type. */
  private static void replaceLeaf(ObjectNode root, Random random, JsonNode value) {
    List<Object[]> leaves = new ArrayList<>();
    leaves(root, leaves);
    if (leaves.isEmpty()) {
      root.set("unexpected", value);
      return;
    }
    Object[] leaf = leaves.get(random.nextInt(leaves.size()));
    JsonNode old = ((ObjectNode) leaf[0]).get((String) leaf[1]);
    if (old != null && old.getNodeType() == value.getNodeType()) {
      // the same type would be no type error
      value = old.isTextual() ? NODES.numberNode(7) : NODES.textNode("seven");
    }
    ((ObjectNode) leaf[0]).set((String) leaf[1], value);
  }

  private static void leaves(JsonNode node, List<Object[]> out) {
    if (node instanceof ObjectNode o) {
      o.fieldNames()
          .forEachRemaining(
              name -> {
                JsonNode child = o.get(name);
                if (name.equals("website")) {
                  return; // the honeypot: filled, it is answered 202 and nothing is kept
                }
                if (child.isValueNode()) {
                  out.add(new Object[] {o, name});
                } else {
                  leaves(child, out);
                }
              });
    } else if (node instanceof ArrayNode a) {
      a.forEach(child -> leaves(child, out));
    }
  }

  /** Puts odd characters into a text value that must stay plain (never into the honeypot). */
  private static void replaceText(ObjectNode root, Random random, String odd) {
    List<Object[]> texts = new ArrayList<>();
    leaves(root, texts);
    texts.removeIf(
        l -> !((ObjectNode) l[0]).get((String) l[1]).isTextual() || "website".equals(l[1]));
    if (texts.isEmpty()) {
      root.put("unexpected", odd);
      return;
    }
    Object[] leaf = texts.get(random.nextInt(texts.size()));
    String text = ((ObjectNode) leaf[0]).get((String) leaf[1]).asText();
    int at = text.isEmpty() ? 0 : random.nextInt(text.length());
    ((ObjectNode) leaf[0]).put((String) leaf[1], text.substring(0, at) + odd + text.substring(at));
  }

  private static boolean replaceNumber(ObjectNode root, JsonNode number, Random random) {
    List<Object[]> numbers = new ArrayList<>();
    leaves(root, numbers);
    numbers.removeIf(l -> !((ObjectNode) l[0]).get((String) l[1]).isNumber());
    if (numbers.isEmpty()) {
      return false;
    }
    Object[] leaf = numbers.get(random.nextInt(numbers.size()));
    ((ObjectNode) leaf[0]).set((String) leaf[1], number);
    return true;
  }
}
