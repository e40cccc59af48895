package dev.custodian.analytics;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.json.Json;
import dev.custodian.local.LambdaEvents;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Accepted events per second through one warm analytics handler (in-process, 25 events a request)
 * against a plain BatchWriteItem(25) loop on the same moto, interleaved rounds. Prints figures;
 * asserts nothing.
 */
public final class IngestThroughput {

  private IngestThroughput() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    LocalCloud cloud = SharedLocalCloud.resourcesOnly();
    Map<String, String> env = cloud.environmentOf("AnalyticsIngestFunction");
    RuntimeEnvironment.install(env);
    AnalyticsHandler handler = new AnalyticsHandler();
    DynamoDbClient raw =
        dev.custodian.core.aws.AwsClients.fromEnvironment(env).build(DynamoDbClient.builder());
    String table = env.get("ANALYTICS_EVENTS_TABLE");
    APIGatewayV2HTTPEvent template =
        LambdaEvents.read("analytics/ingest.json", APIGatewayV2HTTPEvent.class);
    double[] handlerRates = new double[rounds];
    double[] rawRates = new double[rounds];
    run(handler, template, 10);
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      int accepted = run(handler, template, requests);
      handlerRates[r] = accepted / ((System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        List<WriteRequest> batch = new ArrayList<>();
        String pk = "raw#" + UUID.randomUUID();
        for (int e = 0; e < 25; e++) {
          batch.add(
              WriteRequest.builder()
                  .putRequest(
                      PutRequest.builder()
                          .item(
                              Map.of(
                                  "pk", AttributeValue.fromS(pk),
                                  "sk", AttributeValue.fromS("e#" + e),
                                  "path", AttributeValue.fromS("/products/tea"),
                                  "expiresAt", AttributeValue.fromN("1")))
                          .build())
                  .build());
        }
        raw.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
      }
      rawRates[r] = requests * 25 / ((System.nanoTime() - start) / 1e9);
    }
    Arrays.sort(handlerRates);
    Arrays.sort(rawRates);
    System.out.printf(
        "POST /events handler: median %.0f events/s (min %.0f, max %.0f)%n"
            + "BatchWriteItem(25) loop: median %.0f items/s (min %.0f, max %.0f)%n"
            + "ratio of medians: %.2f (%d rounds of %d requests x 25 events)%n",
        handlerRates[rounds / 2],
        handlerRates[0],
        handlerRates[rounds - 1],
        rawRates[rounds / 2],
        rawRates[0],
        rawRates[rounds - 1],
        handlerRates[rounds / 2] / rawRates[rounds / 2],
        rounds,
        requests);
    System.exit(0);
  }

  private static int run(AnalyticsHandler handler, APIGatewayV2HTTPEvent template, int requests) {
    int accepted = 0;
    for (int i = 0; i < requests; i++) {
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.put("visitorId", "visitor-" + UUID.randomUUID());
      body.put("sessionId", "session-" + UUID.randomUUID());
      body.putObject("consent").put("analytics", true);
      ArrayNode events = body.putArray("events");
      for (int e = 0; e < 25; e++) {
        events
            .addObject()
            .put("type", e % 5 == 0 ? "PRODUCT_VIEW" : "PAGE_VIEW")
            .put("path", "/products/item-" + (e % 7))
            .put("productId", "SKU-" + (e % 3))
            .put("occurredAt", Instant.now().toString());
      }
      template.setBody(body.toString());
      APIGatewayV2HTTPResponse response = handler.handleRequest(template, null);
      if (response.getStatusCode() != 202) {
        throw new IllegalStateException(
            "POST /events answered " + response.getStatusCode() + " " + response.getBody());
      }
      accepted += Json.MAPPER.valueToTree(response).path("body").isMissingNode() ? 0 : 25;
    }
    return accepted;
  }
}
