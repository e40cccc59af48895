package dev.custodian.analytics;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.catalogue.CatalogueTable;
import dev.custodian.core.catalogue.PriceList;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import dev.custodian.core.snapstart.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The analytics events table's stream consumer: counts the daily aggregates (see {@link
 * Aggregator}). It reads the stream event as JSON itself (a stream handler), so only the new
 * events' few attributes are bound, not the event library's whole model. A failure fails the batch,
 * which Lambda delivers again; applying a batch twice counts it once.
 */
public final class AggregatorHandler implements RequestStreamHandler {

  private final Aggregator aggregator;

  public AggregatorHandler() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: an empty batch through the JSON reading, and the SDK's first call
    Priming.register(
        "handler",
        () -> {
          try {
            handleRequest(
                new java.io.ByteArrayInputStream(
                    "{\"Records\":[]}".getBytes(StandardCharsets.UTF_8)),
                java.io.OutputStream.nullOutputStream(),
                null);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    Priming.register("aws-sdk", aggregator::prime);
  }

  AggregatorHandler(Aggregator aggregator) {
    this.aggregator = aggregator;
  }

  private static Aggregator wire(Map<String, String> env) {
    AnalyticsConfig config = AnalyticsConfig.fromEnvironment(env);
    DynamoDbClient dynamoDb = AwsClients.fromEnvironment(env).dynamoDb("custodian-aggregator");
    return new Aggregator(
        dynamoDb,
        config.aggregatesTable(),
        new PriceList(
            new CatalogueTable(
                dynamoDb, RuntimeEnvironment.require(env, CatalogueTable.TABLE_VARIABLE)),
            Clock.systemUTC()),
        config.core().retention(),
        Clock.systemUTC());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Log.begin(null, context == null ? null : context.getAwsRequestId());
    try {
      JsonNode event = Json.MAPPER.readTree(input);
      List<String> recordIds = new ArrayList<>();
      List<Aggregator.Event> events = new ArrayList<>();
      for (JsonNode record : event.path("Records")) {
        JsonNode image = record.path("dynamodb").path("NewImage");
        String pk = image.path("pk").path("S").asText("");
        String sk = image.path("sk").path("S").asText("");
        if (!"INSERT".equals(record.path("eventName").asText()) || !pk.startsWith("visitor#")) {
          continue; // TTL and erasure deletes, and markers written again: nothing new to count
        }
        if (sk.startsWith(AnalyticsService.VISITOR_DAY_PREFIX)) {
          // the visitor's first sight that day: the ingest's marker did not exist before
          recordIds.add(record.path("eventID").asText());
          events.add(
              Aggregator.Event.newVisitor(
                  sk.substring(AnalyticsService.VISITOR_DAY_PREFIX.length())));
        } else if (sk.startsWith("event#")) {
          recordIds.add(record.path("eventID").asText());
          events.add(
              new Aggregator.Event(
                  image.path("day").path("S").asText(),
                  image.path("type").path("S").asText(),
                  image.path("page").path("S").asText(PageTypes.OTHER),
                  image.path("productId").path("S").asText(null)));
        }
      }
      int transactions = aggregator.apply(recordIds, events);
      Log.info("aggregates counted", "events", events.size(), "transactions", transactions);
      output.write("{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8));
    } finally {
      Log.end();
    }
  }
}
