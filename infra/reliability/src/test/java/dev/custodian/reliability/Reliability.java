package dev.custodian.reliability;

import dev.custodian.local.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shared by the suite: quick or full counts, and the figures every test records. The figures of a
 * run are written to target/reliability-figures.md; a full run's go into docs/reliability.md.
 */
final class Reliability {

  private Reliability() {}

  static final boolean FULL = Boolean.getBoolean("custodian.reliability.full");

  /** A count: the quick one in the test command, the full one with the flag. */
  static int count(int quick, int full) {
    return FULL ? full : quick;
  }

  private static final Map<String, String> FIGURES = new TreeMap<>();
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** The sample order's body, for another customer. */
  static com.fasterxml.jackson.databind.node.ObjectNode orderBody(String email) {
    try {
      var event = JSON.readTree(Files.readString(ProjectFiles.event("orders/place-order.json")));
      var body =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              JSON.readTree(event.path("body").asText());
      ((com.fasterxml.jackson.databind.node.ObjectNode) body.path("customer")).put("email", email);
      return body;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A privacy request of this type, verified with the emailed code: {requestId, requestToken}. */
  static String[] verifiedRequest(dev.custodian.local.ApiClient api, String type, String email) {
    String[] request = api.verifiedRequest(type, email);
    if (type.equals("ACCESS")) {
      api.awaitCompleted(request[0], request[1]); // the export worker has prepared the export
    }
    return request;
  }

  /** An order of the sample body for this customer, placed: the answer's body. */
  static com.fasterxml.jackson.databind.JsonNode placeOrder(
      dev.custodian.local.ApiClient api, String email) {
    dev.custodian.local.ApiClient.Response placed =
        api.post(
            "/orders",
            orderBody(email),
            Map.of("idempotency-key", "order-" + java.util.UUID.randomUUID()));
    if (placed.status() != 201) {
      throw new AssertionError("placing an order answered " + placed.status());
    }
    return placed.json();
  }

  /** Waits (a minute at most) until the request is completed, as its requester sees it. */
  static void awaitCompleted(dev.custodian.local.ApiClient api, String requestId, String token)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    String status = "";
    while (!status.equals("COMPLETED") && System.nanoTime() < deadline) {
      Thread.sleep(250);
      status =
          api.get("/privacy/requests/" + requestId, Map.of("authorization", "Bearer " + token))
              .json()
              .path("status")
              .asText();
    }
    if (!status.equals("COMPLETED")) {
      throw new AssertionError("request " + requestId + " still " + status);
    }
  }

  /** One attribute of an item, read straight from the emulator. */
  static String attribute(
      dev.custodian.local.LocalCloud cloud, String tableLogicalId, String pk, String name) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(cloud.ref(tableLogicalId))
                    .key(
                        Map.of(
                            "pk",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                pk)))
                    .consistentRead(true))
        .item()
        .get(name)
        .s();
  }

  /**
   * A local cloud of its own whose AWS calls go through {@code proxy} (to the shared cloud's
   * emulator), so a test can fail them without disturbing the others.
   */
  static dev.custodian.local.LocalCloud behind(
      dev.custodian.local.emulator.EmulatorProxy proxy, String stack, int maxContainers)
      throws IOException {
    return dev.custodian.local.LocalCloud.start(
        dev.custodian.local.LocalCloudOptions.builder(ProjectFiles.root().resolve("template.yaml"))
            .endpoint(proxy.endpoint())
            .port(0)
            .stackName(stack + "-" + Long.toHexString(System.nanoTime() & 0xffffff))
            .queueVisibilityTimeout(2)
            .maxContainers(maxContainers)
            .functions(dev.custodian.local.LocalCloud.Functions.BUILT)
            .build());
  }

  /** Records one figure (and prints it), under a section and a name. */
  static synchronized void figure(String section, String name, String value) {
    FIGURES.put(section + " | " + name, value);
    System.out.printf(Locale.ROOT, "[reliability] %s | %s | %s%n", section, name, value);
    List<String> lines = new ArrayList<>();
    lines.add("| Test | Figure | Value |");
    lines.add("|---|---|---|");
    FIGURES.forEach((k, v) -> lines.add("| " + k + " | " + v + " |"));
    try {
      Path out = ProjectFiles.root().resolve("infra/reliability/target/reliability-figures.md");
      Files.createDirectories(out.getParent());
      Files.writeString(
          out,
          (FULL ? "Full run" : "Quick run")
              + " (-Dcustodian.reliability.full="
              + FULL
              + ")\n\n"
              + String.join("\n", lines)
              + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
