package dev.custodian.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.LocalCloudOptions;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.Scenarios;
import dev.custodian.local.template.CfnYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A load simulation against the local cloud (loopback only, bounded in count and time): each
 * operation of a shop — a paid order, a page's analytics batch, a contact message, an access
 * request, an erasure — runs many times through the HTTP API, the workers and streams included,
 * while the emulator proxy's {@link Ledger} records what each table and partition key receives. The
 * figures per operation are the inputs of the capacity model ({@link CapacityModel}), which this
 * writes into the generated block of {@code docs/capacity.md}.
 *
 * <p>Run: {@code java -cp infra/bench/target/custodian-bench.jar
 * dev.custodian.bench.load.LoadSimulation [--quick]}.
 */
public final class LoadSimulation {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Events a page's analytics request carries in the simulation. */
  static final int EVENTS_PER_REQUEST = 5;

  private final LocalCloud cloud;
  private final ApiClient api;
  private final Scenarios scenarios;
  private final Ledger ledger;
  private final boolean quick;
  private final Map<String, CapacityModel.Phase> phases = new LinkedHashMap<>();

  private LoadSimulation(LocalCloud cloud, Ledger ledger, boolean quick) {
    this.cloud = cloud;
    this.api = new ApiClient(cloud.baseUri());
    this.scenarios = new Scenarios(api);
    this.ledger = ledger;
    this.quick = quick;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    Path out =
        quick
            ? ProjectFiles.root().resolve("infra/bench/target/capacity-quick.md")
            : ProjectFiles.root().resolve("docs/capacity.md");
    String markdown = run(quick);
    System.out.println(markdown);
    Files.createDirectories(out.toAbsolutePath().getParent());
    String existing = Files.exists(out) ? Files.readString(out) : "# Capacity\n";
    Files.writeString(out, CapacityModel.merge(existing, markdown));
    System.out.println("written to " + ProjectFiles.root().relativize(out.toAbsolutePath()));
  }

  /** Runs every phase and answers the generated Markdown. */
  static String run(boolean quick) throws Exception {
    Path template = ProjectFiles.root().resolve("template.yaml");
    try (LocalCloud cloud =
        LocalCloud.start(
            LocalCloudOptions.builder(template)
                .port(0)
                .stackName("load-" + Long.toHexString(System.nanoTime() & 0xffffff))
                .queueVisibilityTimeout(2)
                .build())) {
      Ledger ledger = new Ledger(tableNames(cloud, template), indexes(template));
      cloud.proxy().observe(ledger);
      LoadSimulation simulation = new LoadSimulation(cloud, ledger, quick);
      Instant started = Instant.now();
      simulation.all();
      return new CapacityModel(simulation.phases, quick, Duration.between(started, Instant.now()))
          .markdown();
    }
  }

  private void all() throws Exception {
    ledger.drain(); // the start-up's own calls (seeding the catalogue) are not a phase
    List<String> customers = new ArrayList<>();
    phase(
        "order",
        "POST /orders, then its payment event (a quarter of the customers order again)",
        quick ? 12 : 160,
        i -> {
          String email =
              i % 4 == 3 && !customers.isEmpty()
                  ? customers.get(i % customers.size())
                  : "load-" + UUID.randomUUID() + "@example.com";
          customers.add(email);
          JsonNode order = scenarios.placeOrder(email);
          api.post("/_local/pay/" + order.path("orderId").asText(), Map.of(), Map.of());
        });
    // The consumer waits while the events arrive, so it reads full batches, as it does under load.
    cloud.pauseStreams(true);
    int batches = quick ? 40 : 400;
    phase(
        "events",
        "POST /events with "
            + EVENTS_PER_REQUEST
            + " events (50 visitors), counted from the stream in full batches",
        batches,
        i -> {
          analytics("v-load-" + (i % 50));
          if (i == batches - 1) {
            cloud.pauseStreams(false);
          }
        });
    cloud.pauseStreams(false);
    sustained(quick ? 60 : 1_200);
    phase("contact", "POST /contact, a new sender", quick ? 4 : 40, i -> contact());
    phase(
        "access",
        "an access request: created, verified with the emailed code, export prepared",
        quick ? 2 : 20,
        i -> {
          // each person once: a privacy request per address is limited a day
          List<String> people = customers.stream().distinct().toList();
          scenarios.awaitCompleted(
              scenarios.verifiedRequest("ACCESS", people.get(i % people.size())));
        });
    phase(
        "erasure",
        "an erasure of a customer with an order: created, verified, erased by the worker",
        quick ? 2 : 20,
        i -> {
          String email = "erase-" + UUID.randomUUID() + "@example.com";
          scenarios.placeOrder(email);
          ledger.drain(); // the order placed for the test is not part of the erasure
          scenarios.erase(email);
          settle();
          phases.get("erasure").add(ledger.drain());
        });
  }

  /**
   * Analytics batches sent by four senders at once while the consumer runs: does its iterator age
   * (how far behind the stream it reads) stay bounded, or grow while the load lasts?
   */
  private void sustained(int requests) throws Exception {
    CapacityModel.Phase phase =
        new CapacityModel.Phase(
            "events-sustained",
            "POST /events with "
                + EVENTS_PER_REQUEST
                + " events from four senders at once, the consumer running");
    phases.put(phase.name, phase);
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    List<long[]> ages = java.util.Collections.synchronizedList(new ArrayList<>());
    long started = System.nanoTime();
    long deadline = started + Duration.ofMinutes(quick ? 1 : 2).toNanos();
    java.util.concurrent.ExecutorService senders =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      running.add(
          senders.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < requests && System.nanoTime() < deadline;
                    i = next.getAndIncrement()) {
                  analytics("v-sustained-" + (i % 200));
                }
                return null;
              }));
    }
    while (running.stream().anyMatch(f -> !f.isDone())) {
      ages.add(new long[] {System.nanoTime() - started, cloud.streamIteratorAgeMillis()});
      Thread.sleep(200);
    }
    for (java.util.concurrent.Future<?> f : running) {
      f.get();
    }
    senders.shutdown();
    double sending = (System.nanoTime() - started) / 1e9;
    long ended = System.nanoTime();
    cloud.awaitStreams(Duration.ofSeconds(120));
    double catchUp = (System.nanoTime() - ended) / 1e9;
    int sent = Math.min(requests, next.get());
    long half = (long) (sending * 1e9 / 2);
    long firstHalf = ages.stream().filter(a -> a[0] < half).mapToLong(a -> a[1]).max().orElse(0);
    long secondHalf = ages.stream().filter(a -> a[0] >= half).mapToLong(a -> a[1]).max().orElse(0);
    phase.note(
        String.format(
            "%,d events accepted in %.1f s (%,.0f events/s); the consumer's iterator age: at most"
                + " %,d ms in the first half, %,d ms in the second; caught up %.1f s after the last"
                + " batch.",
            sent * EVENTS_PER_REQUEST,
            sending,
            sent * EVENTS_PER_REQUEST / sending,
            firstHalf,
            secondHalf,
            catchUp));
    settle();
    phase.finish(sent, sending, sending, ledger.drain());
    System.out.printf("sustained %d operations in %.1f s%n", sent, sending);
  }

  private interface Operation {
    void run(int i) throws Exception;
  }

  /** Runs an operation {@code count} times (or for two minutes at most) and records it. */
  private void phase(String name, String what, int count, Operation operation) throws Exception {
    CapacityModel.Phase phase = new CapacityModel.Phase(name, what);
    phases.put(name, phase);
    long deadline = System.nanoTime() + Duration.ofMinutes(quick ? 1 : 2).toNanos();
    long started = System.nanoTime();
    int done = 0;
    long busy = 0;
    int failed = 0;
    for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
      long at = System.nanoTime();
      try {
        operation.run(i);
        done++;
      } catch (RuntimeException e) {
        // a loopback connection dropped by the local gateway under load: counted, not fatal
        failed++;
        System.err.printf("%s operation %d failed: %s%n", name, i, e);
        if (failed > Math.max(2, count / 10)) {
          throw e;
        }
      }
      busy += System.nanoTime() - at;
    }
    if (failed > 0) {
      phase.note(
          failed + " operation(s) failed on a dropped loopback connection and are left out.");
    }
    settle();
    phase.finish(done, (System.nanoTime() - started) / 1e9, busy / 1e9, ledger.drain());
    System.out.printf("%-8s %d operations in %.1f s%n", name, done, phase.seconds());
  }

  /** Waits until the streams have been read and the queues' work is done. */
  private void settle() throws InterruptedException {
    cloud.awaitStreams(Duration.ofSeconds(60));
    Thread.sleep(1_500); // the notifier's emails, sent from its queue
    cloud.awaitStreams(Duration.ofSeconds(60));
  }

  /** The sample catalogue's SKUs: the products a page's views name. */
  private final List<String> skus = sampleSkus();

  private static List<String> sampleSkus() {
    try {
      List<String> out = new ArrayList<>();
      for (JsonNode product :
          JSON.readTree(ProjectFiles.root().resolve("infra/local/sample-catalogue.json").toFile())
              .path("products")) {
        out.add(product.path("sku").asText());
      }
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void analytics(String visitor) throws Exception {
    ObjectNode event =
        (ObjectNode) JSON.readTree(ProjectFiles.event("analytics/ingest.json").toFile());
    ObjectNode body = (ObjectNode) JSON.readTree(event.path("body").asText());
    body.put("visitorId", visitor);
    body.put("sessionId", "s-" + UUID.randomUUID());
    ArrayNode events = body.putArray("events");
    String[] types = {"PAGE_VIEW", "PRODUCT_VIEW", "ADD_TO_CART", "PAGE_VIEW", "PRODUCT_VIEW"};
    for (int e = 0; e < EVENTS_PER_REQUEST; e++) {
      ObjectNode one = events.addObject();
      one.put("type", types[e % types.length]);
      String product = skus.get((int) (Math.random() * skus.size()));
      one.put("path", "/products/" + product);
      if (types[e % types.length].equals("PRODUCT_VIEW")) {
        one.put("productId", product);
      }
      one.put("occurredAt", Instant.now().minusSeconds(5).toString());
    }
    ApiClient.Response response =
        api.send("POST", "/events", body.toString(), Map.of("content-type", "application/json"));
    if (response.status() != 202) {
      throw new IllegalStateException("POST /events answered " + response.status());
    }
  }

  private void contact() throws Exception {
    JsonNode event = JSON.readTree(ProjectFiles.event("contact/submit.json").toFile());
    ObjectNode body = (ObjectNode) JSON.readTree(event.path("body").asText());
    body.put("email", "contact-" + UUID.randomUUID() + "@example.com");
    body.remove("orderId");
    ApiClient.Response response =
        api.send("POST", "/contact", body.toString(), Map.of("content-type", "application/json"));
    if (response.status() != 202) {
      throw new IllegalStateException("POST /contact answered " + response.status());
    }
  }

  /** Physical table name to logical id, for every table of the template. */
  private static Map<String, String> tableNames(LocalCloud cloud, Path template)
      throws java.io.IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String logical : resourcesOfType(template, "AWS::DynamoDB::Table").keySet()) {
      out.put(cloud.ref(logical), logical);
    }
    return out;
  }

  /** Each table's global secondary indexes, by name, with their partition key attribute. */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, String>> indexes(Path template)
      throws java.io.IOException {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> table :
        resourcesOfType(template, "AWS::DynamoDB::Table").entrySet()) {
      Map<String, Object> properties = (Map<String, Object>) table.getValue().get("Properties");
      Object gsis = properties.get("GlobalSecondaryIndexes");
      if (!(gsis instanceof List<?> list)) {
        continue;
      }
      Map<String, String> byName = new LinkedHashMap<>();
      for (Object gsi : list) {
        Map<String, Object> index = (Map<String, Object>) gsi;
        for (Object key : (List<Object>) index.get("KeySchema")) {
          Map<String, Object> k = (Map<String, Object>) key;
          if ("HASH".equals(k.get("KeyType"))) {
            byName.put(
                String.valueOf(index.get("IndexName")), String.valueOf(k.get("AttributeName")));
          }
        }
      }
      out.put(table.getKey(), byName);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> resourcesOfType(Path template, String type)
      throws java.io.IOException {
    Map<String, Object> resources = (Map<String, Object>) CfnYaml.load(template).get("Resources");
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    resources.forEach(
        (id, resource) -> {
          Map<String, Object> r = (Map<String, Object>) resource;
          if (type.equals(r.get("Type"))) {
            out.put(id, r);
          }
        });
    return out;
  }
}
