package dev.custodian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The sample events of {@code events/} the bench sends, and how each is made current before it is
 * sent: the fixtures are fixed, while idempotency keys, rate limits and event-time windows are not.
 */
final class SampleEvents {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The sample event each function is cold-started on. */
  static final Map<String, String> FOR_FUNCTION =
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

  private SampleEvents() {}

  /** The sample as it is on disk, e.g. {@code orders/place-order.json}. */
  static String read(String sample) throws IOException {
    return Files.readString(ProjectFiles.event(sample));
  }

  /** The sample as a JSON object, for a measurement that rewrites its fields. */
  static ObjectNode readObject(String sample) throws IOException {
    return (ObjectNode) JSON.readTree(ProjectFiles.event(sample).toFile());
  }

  /**
   * A sample event made current: a new Idempotency-Key, event times within the last minutes, and
   * (unless one is given) a new email, so rate limits and replays do not shortcut the work.
   */
  static String fresh(String eventJson, String email) {
    try {
      return freshEvent(eventJson, email);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
}
