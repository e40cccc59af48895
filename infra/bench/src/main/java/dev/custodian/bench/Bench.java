package dev.custodian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.EmulatorProxy;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.MotoServer;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.Scenarios;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The benchmark harness (never deployed). It starts its own moto (or uses {@code
 * AWS_ENDPOINT_URL}), two local clouds on it — one calling moto directly for timings, one through a
 * call-counting proxy — and measures cold starts, warm cost per route, KMS calls, analytics ingest
 * and erasure. Every figure is set against a baseline measured in the same run, interleaved. It
 * prints one table and writes it, with the machine and the command, to {@code docs/benchmarks.md}
 * (a {@code --quick} smoke run writes to {@code infra/bench/target/benchmarks-quick.md} instead).
 *
 * <p>Usage: {@code java -jar infra/bench/target/custodian-bench.jar [--quick] [--out FILE]}
 */
public final class Bench {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The sample event each function is cold-started on. */
  static final Map<String, String> SAMPLES =
      Map.ofEntries(
          Map.entry("PolicyFunction", "privacy/get-policy.json"),
          // published once by the first run; later runs take the cold path up to the 409
          Map.entry("PolicyAdminFunction", "privacy/publish-policy-version.json"),
          Map.entry("PlaceOrderFunction", "orders/place-order.json"),
          Map.entry("ReadOrderFunction", "orders/get-order.json"),
          Map.entry("OrderAdminFunction", "orders/get-fulfilment.json"),
          Map.entry("CatalogueFunction", "catalogue/get-product.json"),
          // the same product again: a write that changes nothing the other runs use
          Map.entry("CatalogueAdminFunction", "catalogue/admin-put-product.json"),
          // unsigned here (the sample's signature is zeros): the cold path up to the refusal
          Map.entry("PaymentEventsFunction", "payments/payment-event.json"),
          Map.entry("ContactFunction", "contact/submit.json"),
          Map.entry("ContactAdminFunction", "contact/admin-read.json"),
          Map.entry("AnalyticsIngestFunction", "analytics/ingest.json"),
          Map.entry("AnalyticsStatsFunction", "analytics/admin-stats.json"),
          Map.entry("AnalyticsAggregatorFunction", "analytics/aggregate.json"),
          Map.entry("PrivacyRequestFunction", "privacy/create-request.json"),
          Map.entry("AccountFunction", "account/get-profile.json"),
          Map.entry("PrivacyAdminFunction", "privacy/admin-list.json"),
          Map.entry("DisclosureAdminFunction", "privacy/admin-disclosure-read.json"),
          Map.entry("OverdueRequestsFunction", "privacy/overdue-requests.json"),
          Map.entry("NotifierFunction", "notifier/notification.json"),
          Map.entry("ErasureWorkerFunction", "erasure/erasure.json"),
          Map.entry("ExportWorkerFunction", "privacy/export.json"));

  private final boolean quick;
  private final Report report;
  private final Path root = ProjectFiles.root();

  private Bench(boolean quick, Report report) {
    this.quick = quick;
    this.report = report;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    Path out = null;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--out")) {
        out = Path.of(args[i + 1]);
      }
      if (args[i].equals("--only")) {
        only = java.util.Set.of(args[i + 1].split(","));
      }
    }
    if (out == null) {
      out =
          quick
              ? ProjectFiles.root().resolve("infra/bench/target/benchmarks-quick.md")
              : ProjectFiles.root().resolve("docs/benchmarks.md");
    }
    String command = "java -jar infra/bench/target/custodian-bench.jar" + (quick ? " --quick" : "");
    Report report = run(quick, command);
    System.out.println(report.table());
    if (only != null) {
      return; // a partial run leaves the docs as they are
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    String existing = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n";
    Files.writeString(out, Report.merge(existing, report.markdown()));
    System.out.println("written to " + ProjectFiles.root().relativize(out.toAbsolutePath()));
  }

  /**
   * The measurements to run ({@code --only cold,warm,ingest,kms,floor,erasure}), all when null: a
   * partial run is for working on one figure, and prints its rows without rewriting the docs.
   */
  private static java.util.Set<String> only;

  private static boolean runs(String measurement) {
    return only == null || only.contains(measurement);
  }

  /** Runs every measurement; the report holds the rows. */
  static Report run(boolean quick, String command) throws Exception {
    Report report = new Report(command, quick);
    Path work = Files.createTempDirectory("custodian-bench");
    String external = System.getenv("AWS_ENDPOINT_URL");
    try (MotoServer moto = external == null || external.isBlank() ? MotoServer.start() : null) {
      java.net.URI endpoint = moto != null ? moto.endpoint() : java.net.URI.create(external);
      Bench bench = new Bench(quick, report);
      // Cold starts need the resources only: no served function (and no poller) runs beside them.
      if (runs("cold")) {
        try (LocalCloud resources = cloud("bench-cold", endpoint, LocalCloud.Functions.NONE)) {
          bench.coldStarts(resources, work);
        }
      }
      if (runs("warm") || runs("ingest")) {
        try (LocalCloud direct = cloud("bench-direct", endpoint, LocalCloud.Functions.BUILT)) {
          if (runs("warm")) {
            bench.warmCosts(direct);
            OwnTime.measure(direct, report, quick);
          }
          if (runs("ingest")) {
            bench.ingest(direct);
          }
        }
      }
      // The counting cloud starts only now, so its pollers do not load the machine before.
      if (runs("kms") || runs("floor") || runs("erasure")) {
        try (LocalCloud counted = cloud("bench-counted", endpoint, LocalCloud.Functions.BUILT)) {
          EmulatorProxy proxy = counted.proxy();
          if (runs("kms")) {
            bench.kmsCalls(counted, proxy);
          }
          if (runs("floor")) {
            bench.orderTransactionFloor(counted, proxy);
          }
          if (runs("erasure")) {
            bench.erasure(counted, proxy);
          }
        }
      }
    }
    return report;
  }

  private static LocalCloud cloud(
      String stack, java.net.URI endpoint, LocalCloud.Functions functions) throws IOException {
    return LocalCloud.start(
        LocalCloud.Options.defaults(ProjectFiles.root().resolve("template.yaml"))
            .withEndpoint(endpoint)
            .withPort(0)
            .withStackName(stack + "-" + Long.toHexString(System.nanoTime() & 0xffffff))
            .withQueueVisibilityTimeout(2)
            .withFunctions(functions));
  }

  // ---- 1. cold start ------------------------------------------------------------------------

  private void coldStarts(LocalCloud cloud, Path work) throws Exception {
    ColdStart cold = new ColdStart(work);
    List<LocalCloud.Function> functions =
        cloud.functions().stream().filter(f -> Files.exists(f.code())).toList();
    LocalCloud.Function orders =
        functions.stream()
            .filter(f -> f.logicalId().equals("PlaceOrderFunction"))
            .findFirst()
            .orElseThrow();
    Map<String, String> baselineEnv = new LinkedHashMap<>(orders.environment());
    baselineEnv.put("BASELINE_TABLE", cloud.ref("IdempotencyTable"));
    int rounds = quick ? 1 : 5;
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    Map<String, String> answers = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (LocalCloud.Function f : functions) {
        // the baseline right before each function: the pair sees the same machine
        ColdStart.Run baseline =
            cold.run(
                orders.code(),
                dev.custodian.bench.cold.BaselineHandler.class.getName(),
                writeEvent(work, "orders/get-order.json"),
                baselineEnv);
        ColdStart.Run run =
            cold.run(
                f.code(),
                f.handler().split("::")[0],
                writeEvent(work, SAMPLES.get(f.logicalId())),
                f.environment());
        samples
            .computeIfAbsent(f.logicalId(), k -> new ArrayList<>())
            .add(new double[] {run.millis(), baseline.millis(), run.classes(), baseline.classes()});
        answers.put(f.logicalId(), run.answer());
      }
    }
    for (LocalCloud.Function f : functions) {
      List<double[]> s = samples.get(f.logicalId());
      report.add(
          "Cold start",
          f.logicalId() + " (" + answers.get(f.logicalId()) + ")",
          Stats.of(column(s, 0)),
          Stats.of(column(s, 1)),
          ratios(s, 0, 1),
          "ms",
          1.3);
      report.add(
          "Classes loaded",
          f.logicalId(),
          Stats.of(column(s, 2)),
          Stats.of(column(s, 3)),
          ratios(s, 2, 3),
          "classes",
          1.5);
    }
    for (LocalCloud.Function f : functions) {
      if (report.hasJar(f.code())) {
        continue;
      }
      double mb = Files.size(f.code()) / 1_000_000.0;
      report.addJar(f.code(), root.relativize(f.code()).toString(), mb);
    }
  }

  private static double[] column(List<double[]> rows, int index) {
    return rows.stream().mapToDouble(r -> r[index]).toArray();
  }

  private static double[] ratios(List<double[]> rows, int top, int bottom) {
    return rows.stream().mapToDouble(r -> r[top] / r[bottom]).toArray();
  }

  private Path writeEvent(Path work, String sample) throws IOException {
    Path file = work.resolve(UUID.randomUUID() + ".json");
    Files.writeString(file, fresh(Files.readString(ProjectFiles.event(sample)), null));
    return file;
  }

  /**
   * A sample event made current: a new Idempotency-Key, event times within the last minutes, and
   * (unless one is given) a new email, so rate limits and replays do not shortcut the work.
   */
  static String fresh(String eventJson, String email) {
    try {
      return freshEvent(eventJson, email);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String freshEvent(String eventJson, String email) throws IOException {
    ObjectNode event = (ObjectNode) JSON.readTree(eventJson);
    JsonNode headers = event.path("headers");
    if (headers.has("idempotency-key")) {
      ((ObjectNode) headers).put("idempotency-key", "bench-" + UUID.randomUUID());
    }
    if (event.path("body").isTextual() && event.path("body").asText().startsWith("{")) {
      ObjectNode body = (ObjectNode) JSON.readTree(event.path("body").asText());
      freshen(body, email == null ? "bench." + UUID.randomUUID() + "@example.com" : email);
      event.put("body", JSON.writeValueAsString(body));
    }
    return JSON.writeValueAsString(event);
  }

  private static void freshen(JsonNode node, String email) {
    if (node instanceof ObjectNode object) {
      if (object.has("email")) {
        object.put("email", email);
      }
      if (object.has("occurredAt")) {
        object.put("occurredAt", Instant.now().minusSeconds(60).toString());
      }
      object.forEach(child -> freshen(child, email));
    } else if (node instanceof ArrayNode array) {
      array.forEach(child -> freshen(child, email));
    }
  }

  // ---- 2. warm cost ---------------------------------------------------------------------------

  private void warmCosts(LocalCloud cloud) throws Exception {
    int iterations = quick ? 15 : 300;
    int warmup = quick ? 5 : 50;
    // The baseline takes the functions' path to the emulator: through the local IAM proxy.
    dev.custodian.local.Emulator viaProxy =
        new dev.custodian.local.Emulator(cloud.proxy().endpoint(), cloud.emulator().region());
    DynamoDbClient dynamoDb = viaProxy.dynamoDb();
    String scratch = cloud.ref("IdempotencyTable");
    Runnable putItem =
        () ->
            dynamoDb.putItem(
                b ->
                    b.tableName(scratch)
                        .item(Map.of("pk", AttributeValue.fromS("bench#" + UUID.randomUUID()))));
    String known = "bench.known." + UUID.randomUUID() + "@example.com";
    String placeOrder = Files.readString(ProjectFiles.event("orders/place-order.json"));
    JsonNode placed = answer(cloud.invoke("PlaceOrderFunction", fresh(placeOrder, known)), 201);
    Runnable getItem =
        () ->
            dynamoDb.getItem(
                b ->
                    b.tableName(cloud.ref("OrdersTable"))
                        .key(
                            Map.of(
                                "pk",
                                AttributeValue.fromS("order#" + placed.path("orderId").asText()),
                                "sk",
                                AttributeValue.fromS("transaction"))));

    warm(
        "POST /orders, known customer (in-process)",
        iterations,
        warmup,
        () -> invoke(cloud, "PlaceOrderFunction", fresh(placeOrder, known), 201),
        putItem,
        "PutItem",
        1.5);
    warm(
        "bare TransactWriteItems of an order's shape (5 items, SDK direct: the floor on moto)",
        iterations,
        warmup,
        () -> orderShapedTransaction(dynamoDb, cloud),
        putItem,
        "PutItem",
        null);
    ApiClient api = new ApiClient(cloud.baseUri());
    JsonNode orderBody = JSON.readTree(JSON.readTree(placeOrder).path("body").asText());
    ((ObjectNode) orderBody.path("customer")).put("email", known);
    warm(
        "POST /orders, known customer (HTTP through the local cloud)",
        iterations,
        warmup,
        () -> {
          var response =
              api.post(
                  "/orders", orderBody, Map.of("idempotency-key", "bench-" + UUID.randomUUID()));
          if (response.status() != 201) {
            throw new IllegalStateException("POST /orders answered " + response.status());
          }
        },
        putItem,
        "PutItem",
        4.0);
    ObjectNode read =
        (ObjectNode) JSON.readTree(ProjectFiles.event("orders/get-order.json").toFile());
    String orderId = placed.path("orderId").asText();
    read.put("rawPath", "/orders/" + orderId);
    ((ObjectNode) read.path("pathParameters")).put("orderId", orderId);
    ((ObjectNode) read.path("headers"))
        .put("authorization", "Bearer " + placed.path("orderToken").asText());
    String readEvent = JSON.writeValueAsString(read);
    warm(
        "GET /orders/{id} with its token (in-process)",
        iterations,
        warmup,
        () -> invoke(cloud, "ReadOrderFunction", readEvent, 200),
        getItem,
        "GetItem",
        null);
    String contact = Files.readString(ProjectFiles.event("contact/submit.json"));
    warm(
        "POST /contact, new sender (in-process)",
        iterations,
        warmup,
        () -> invoke(cloud, "ContactFunction", fresh(contact, null), 202),
        putItem,
        "PutItem",
        null);
    String events = Files.readString(ProjectFiles.event("analytics/ingest.json"));
    warm(
        "POST /events, 2 events (in-process)",
        iterations,
        warmup,
        () -> invoke(cloud, "AnalyticsIngestFunction", fresh(events, null), 202),
        putItem,
        "PutItem",
        null);
    String request = Files.readString(ProjectFiles.event("privacy/create-request.json"));
    warm(
        "POST /privacy/requests, new email (in-process)",
        iterations,
        warmup,
        () -> invoke(cloud, "PrivacyRequestFunction", fresh(request, null), 202),
        putItem,
        "PutItem",
        null);
    String policy = Files.readString(ProjectFiles.event("privacy/get-policy.json"));
    warm(
        "GET /privacy/policy (in-process)",
        iterations,
        warmup,
        () -> invoke(cloud, "PolicyFunction", policy, 200),
        getItem,
        "GetItem",
        null);
    viaProxy.close();
  }

  /**
   * What placing an order writes, sent bare: the order and its contact data (new items), the audit
   * record, the idempotency record (with its condition) and the check on the email's lookup.
   */
  private static void orderShapedTransaction(DynamoDbClient dynamoDb, LocalCloud cloud) {
    String id = UUID.randomUUID().toString();
    String blob = "x".repeat(180);
    Map<String, AttributeValue> order =
        Map.of(
            "pk", AttributeValue.fromS("order#" + id),
            "sk", AttributeValue.fromS("transaction"),
            "items", AttributeValue.fromS(blob),
            "expiresAt", AttributeValue.fromN("1999999999"));
    Map<String, AttributeValue> contact =
        Map.of(
            "pk", AttributeValue.fromS("order#" + id),
            "sk", AttributeValue.fromS("contact"),
            "sealed", AttributeValue.fromS(blob + blob),
            "expiresAt", AttributeValue.fromN("1999999999"));
    Map<String, AttributeValue> audit =
        Map.of(
            "pk", AttributeValue.fromS("audit#" + id),
            "at", AttributeValue.fromS("2026-11-24T00:00:00Z"),
            "action", AttributeValue.fromS("CREATE"),
            "expiresAt", AttributeValue.fromN("1999999999"));
    Map<String, AttributeValue> idempotency =
        Map.of(
            "pk", AttributeValue.fromS("idem#" + id),
            "status", AttributeValue.fromS("COMPLETED"),
            "payloadHash", AttributeValue.fromS(blob.substring(0, 64)),
            "reference", AttributeValue.fromS(blob.substring(0, 120)),
            "expiresAt", AttributeValue.fromN("1999999999"));
    String now = Long.toString(Instant.now().getEpochSecond());
    dynamoDb.transactWriteItems(
        b ->
            b.transactItems(
                put(cloud.ref("OrdersTable"), order, "attribute_not_exists(pk)", Map.of()),
                put(cloud.ref("OrdersTable"), contact, "attribute_not_exists(pk)", Map.of()),
                put(cloud.ref("AuditTable"), audit, null, Map.of()),
                put(
                    cloud.ref("IdempotencyTable"),
                    idempotency,
                    "attribute_not_exists(pk) OR expiresAt < :now"
                        + " OR (#status = :inProgress AND inProgressUntil < :nowMillis)",
                    Map.of(
                        ":now", AttributeValue.fromN(now),
                        ":nowMillis", AttributeValue.fromN(now + "000"),
                        ":inProgress", AttributeValue.fromS("IN_PROGRESS"))),
                software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
                    .conditionCheck(
                        c ->
                            c.tableName(cloud.ref("SubjectsTable"))
                                .key(Map.of("pk", AttributeValue.fromS("lookup#bench#" + id)))
                                .conditionExpression("attribute_not_exists(pk)"))
                    .build()));
  }

  private static software.amazon.awssdk.services.dynamodb.model.TransactWriteItem put(
      String table,
      Map<String, AttributeValue> item,
      String condition,
      Map<String, AttributeValue> values) {
    return software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
        .put(
            p -> {
              p.tableName(table).item(item);
              if (condition != null) {
                p.conditionExpression(condition);
                if (condition.contains("#status")) {
                  p.expressionAttributeNames(Map.of("#status", "status"));
                }
                if (!values.isEmpty()) {
                  p.expressionAttributeValues(values);
                }
              }
            })
        .build();
  }

  private void warm(
      String route,
      int iterations,
      int warmup,
      Runnable call,
      Runnable baseline,
      String baselineName,
      Double target) {
    for (int i = 0; i < warmup; i++) {
      call.run();
      baseline.run();
    }
    double[] calls = new double[iterations];
    double[] bases = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      call.run();
      calls[i] = (System.nanoTime() - start) / 1e6;
      start = System.nanoTime();
      baseline.run();
      bases[i] = (System.nanoTime() - start) / 1e6;
    }
    report.add(
        "Warm cost",
        route + " vs " + baselineName,
        Stats.of(calls),
        Stats.of(bases),
        blockRatios(calls, bases),
        "ms",
        target);
  }

  /** Ratios of medians over five consecutive blocks of the interleaved samples. */
  private static double[] blockRatios(double[] top, double[] bottom) {
    int blocks = Math.min(5, top.length);
    double[] out = new double[blocks];
    int size = top.length / blocks;
    for (int b = 0; b < blocks; b++) {
      double[] t = java.util.Arrays.copyOfRange(top, b * size, (b + 1) * size);
      double[] u = java.util.Arrays.copyOfRange(bottom, b * size, (b + 1) * size);
      out[b] = Stats.of(t).median() / Stats.of(u).median();
    }
    return out;
  }

  static void invoke(LocalCloud cloud, String function, String event, int status) {
    answer(cloud.invoke(function, event), status);
  }

  private static JsonNode answer(String responseJson, int status) {
    try {
      JsonNode response = JSON.readTree(responseJson);
      if (response.path("statusCode").asInt() != status) {
        throw new IllegalStateException(
            "expected " + status + ", the function answered " + response.path("statusCode"));
      }
      String body = response.path("body").asText("");
      return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable answer", e);
    }
  }

  // ---- 3. KMS calls ---------------------------------------------------------------------------

  private void kmsCalls(LocalCloud cloud, EmulatorProxy proxy) throws Exception {
    int containers = quick ? 2 : 4;
    int requests = quick ? 10 : 60;
    int subjects = quick ? 3 : 10;
    String function = functionName(cloud, "PlaceOrderFunction");
    String placeOrder = Files.readString(ProjectFiles.event("orders/place-order.json"));
    List<String> emails = new ArrayList<>();
    for (int s = 0; s < subjects; s++) {
      emails.add("bench.kms." + UUID.randomUUID() + "@example.com");
    }
    proxy.reset();
    for (int c = 0; c < containers; c++) {
      cloud.retireContainers("PlaceOrderFunction");
      for (int m = 0; m < requests; m++) {
        invoke(cloud, "PlaceOrderFunction", fresh(placeOrder, emails.get(m % subjects)), 201);
      }
    }
    int calls = proxy.count(function, "kms");
    int floor = containers * subjects;
    report.addCount(
        "KMS calls",
        String.format(
            "%d containers x %d orders for %d customers (%s)",
            containers, requests, subjects, proxy.operations(function, "kms")),
        calls,
        floor,
        "floor N x S",
        containers * requests,
        "one key unwrap per request (no cache)",
        // the index secret: one more unwrap per container, on top of one key per subject
        floor + containers);
  }

  /**
   * The floor for placing an order on this emulator: the handler's own transaction, timed at the
   * proxy (the emulator's answer time, without the function's work), against a PutItem timed the
   * same way.
   */
  private void orderTransactionFloor(LocalCloud cloud, EmulatorProxy proxy) throws Exception {
    int iterations = quick ? 15 : 200;
    String function = functionName(cloud, "PlaceOrderFunction");
    String placeOrder = Files.readString(ProjectFiles.event("orders/place-order.json"));
    String known = "bench.floor." + UUID.randomUUID() + "@example.com";
    invoke(cloud, "PlaceOrderFunction", fresh(placeOrder, known), 201);
    try (dev.custodian.local.Emulator viaProxy =
        new dev.custodian.local.Emulator(
            proxy.endpoint(), software.amazon.awssdk.regions.Region.of("us-east-1"))) {
      String scratch = cloud.ref("IdempotencyTable");
      proxy.reset();
      for (int i = 0; i < iterations; i++) {
        invoke(cloud, "PlaceOrderFunction", fresh(placeOrder, known), 201);
        viaProxy
            .dynamoDb()
            .putItem(
                b ->
                    b.tableName(scratch)
                        .item(Map.of("pk", AttributeValue.fromS("bench#" + UUID.randomUUID()))));
      }
    }
    double[] transactions = proxy.upstreamMillis(function, "dynamodb", "TransactWriteItems");
    double[] puts = proxy.upstreamMillis("-", "dynamodb", "PutItem");
    int calls = proxy.count(function, "dynamodb");
    report.add(
        "Warm cost",
        "POST /orders' own TransactWriteItems as moto answers it ("
            + calls
            + " DynamoDB calls for "
            + iterations
            + " orders) vs PutItem, both timed at the proxy",
        Stats.of(transactions),
        Stats.of(puts),
        blockRatios(transactions, puts),
        "ms",
        null);
  }

  static String functionName(LocalCloud cloud, String logicalId) {
    return cloud.function(logicalId).name();
  }

  // ---- 4. analytics ingest --------------------------------------------------------------------

  private void ingest(LocalCloud cloud) throws Exception {
    int rounds = quick ? 2 : 5;
    int requests = quick ? 5 : 40;
    DynamoDbClient dynamoDb = cloud.emulator().dynamoDb();
    String table = cloud.ref("AnalyticsEventsTable");
    ObjectNode template =
        (ObjectNode) JSON.readTree(ProjectFiles.event("analytics/ingest.json").toFile());
    ObjectNode body = (ObjectNode) JSON.readTree(template.path("body").asText());
    ArrayNode events = body.putArray("events");
    String[] types = {"PAGE_VIEW", "PRODUCT_VIEW", "ADD_TO_CART", "SEARCH", "PAGE_VIEW"};
    for (int e = 0; e < 25; e++) {
      ObjectNode event = events.addObject();
      event.put("type", types[e % types.length]);
      event.put("path", "/products/p" + (e % 7));
      if (types[e % types.length].equals("PRODUCT_VIEW")) {
        event.put("productId", "SKU-" + (e % 7));
      }
      event.put("occurredAt", Instant.now().minusSeconds(120).toString());
    }
    Supplier<String> request =
        () -> {
          body.put("visitorId", "v-bench-" + (int) (Math.random() * 50));
          body.put("sessionId", "s-" + UUID.randomUUID());
          template.put("body", body.toString());
          return template.toString();
        };
    for (int i = 0; i < 5; i++) {
      invoke(cloud, "AnalyticsIngestFunction", request.get(), 202);
    }
    double[] handler = new double[rounds];
    double[] raw = new double[rounds];
    double[] aggregator = new double[rounds];
    cloud.awaitStreams(java.time.Duration.ofMinutes(2));
    for (int r = 0; r < rounds; r++) {
      // The aggregator counts the events from the stream, off the request path; on one machine it
      // would compete with both loops, so it waits, and its own pace is measured after.
      cloud.pauseStreams(true);
      long start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        invoke(cloud, "AnalyticsIngestFunction", request.get(), 202);
      }
      handler[r] = requests * 25 / ((System.nanoTime() - start) / 1e9);
      cloud.pauseStreams(false);
      start = System.nanoTime();
      cloud.awaitStreams(java.time.Duration.ofMinutes(2));
      aggregator[r] = requests * 25 / ((System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        List<WriteRequest> batch = new ArrayList<>();
        String pk = "raw#" + UUID.randomUUID();
        for (int e = 0; e < 25; e++) {
          String sk = "e#" + e;
          batch.add(
              WriteRequest.builder()
                  .putRequest(
                      PutRequest.builder()
                          .item(
                              Map.of(
                                  "pk", AttributeValue.fromS(pk),
                                  "sk", AttributeValue.fromS(sk),
                                  "path", AttributeValue.fromS("/products/p" + e),
                                  "type", AttributeValue.fromS("PAGE_VIEW")))
                          .build())
                  .build());
        }
        dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
      }
      raw[r] = requests * 25 / ((System.nanoTime() - start) / 1e9);
      cloud.awaitStreams(java.time.Duration.ofMinutes(2));
    }
    double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ratios[r] = handler[r] / raw[r];
    }
    report.add(
        "Ingest",
        "POST /events, 25 events a request (in-process) vs BatchWriteItem(25) loop",
        Stats.of(handler),
        Stats.of(raw),
        ratios,
        "events/s",
        0.8);
    double[] aggregatorRatios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      aggregatorRatios[r] = aggregator[r] / raw[r];
    }
    report.add(
        "Ingest",
        "the aggregator counting those events from the stream (batches of up to 100) vs the same loop",
        Stats.of(aggregator),
        Stats.of(raw),
        aggregatorRatios,
        "events/s",
        1.0);
  }

  // ---- 5. erasure -----------------------------------------------------------------------------

  private void erasure(LocalCloud cloud, EmulatorProxy proxy) throws Exception {
    ApiClient api = new ApiClient(cloud.baseUri());
    String worker = functionName(cloud, "ErasureWorkerFunction");
    String placeOrder = Files.readString(ProjectFiles.event("orders/place-order.json"));
    for (int items : quick ? new int[] {10, 100} : new int[] {10, 100, 1000}) {
      String email = "bench.erase." + UUID.randomUUID() + "@example.com";
      for (int o = 0; o < items / 2; o++) {
        invoke(cloud, "PlaceOrderFunction", fresh(placeOrder, email), 201);
      }
      var created =
          api.post(
              "/privacy/requests",
              Map.of("type", "ERASURE", "email", email, "regime", "GDPR"),
              Map.of());
      String requestId = created.json().path("requestId").asText();
      String code = new Scenarios(api).code(email, requestId);
      proxy.reset();
      long start = System.nanoTime();
      var verified =
          api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", code), Map.of());
      String token = verified.json().path("requestToken").asText();
      double seconds = 0;
      for (int i = 0; i < 1200; i++) {
        JsonNode status =
            api.get("/privacy/requests/" + requestId, Map.of("authorization", "Bearer " + token))
                .json();
        if ("COMPLETED".equals(status.path("status").asText())) {
          seconds = (System.nanoTime() - start) / 1e9;
          break;
        }
        Thread.sleep(50);
      }
      if (seconds == 0) {
        throw new IllegalStateException("the erasure of " + items + " items did not complete");
      }
      int calls = proxy.count(worker, "dynamodb");
      int target = (items + 24) / 25 + 10;
      report.addErasure(items, calls, target, seconds, proxy.operations(worker, "dynamodb"));
    }
  }

  /** The machine line of the report. */
  static String machine() {
    long memory =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    return String.format(
        "%d cores, %.0f GiB memory, %s %s (%s)",
        Runtime.getRuntime().availableProcessors(),
        memory / (1024.0 * 1024 * 1024),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString()
        + " "
        + Instant.now().truncatedTo(ChronoUnit.MINUTES).toString().substring(11, 16)
        + " UTC";
  }
}
