package dev.custodian.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.custodian.local.template.CfnYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sample events of events/ read as the Lambda runtime reads them, and match the template. */
class SampleEventsTest {

  @SuppressWarnings("unchecked")
  private static Set<String> templateRoutes() throws Exception {
    Set<String> routes = new HashSet<>();
    Map<String, Object> resources =
        (Map<String, Object>)
            CfnYaml.load(ProjectFiles.root().resolve("template.yaml")).get("Resources");
    for (Object resource : resources.values()) {
      Map<String, Object> r = (Map<String, Object>) resource;
      if (!"AWS::Serverless::Function".equals(r.get("Type"))) {
        continue;
      }
      Map<String, Object> events =
          (Map<String, Object>)
              ((Map<String, Object>) r.get("Properties")).getOrDefault("Events", Map.of());
      for (Object event : events.values()) {
        Map<String, Object> e = (Map<String, Object>) event;
        if ("HttpApi".equals(e.get("Type"))) {
          Map<String, Object> p = (Map<String, Object>) e.get("Properties");
          routes.add(p.get("Method") + " " + p.get("Path"));
        }
      }
    }
    return routes;
  }

  @Test
  void everySampleEvent_reads_andEveryHttpSample_isARouteOfTheTemplate() throws Exception {
    Set<String> routes = templateRoutes();
    Set<String> sampled = new HashSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(ProjectFiles.root().resolve("events"))) {
      files = walk.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    for (Path file : files) {
      String json = Files.readString(file);
      if (json.contains("\"aws:dynamodb\"")) {
        DynamodbEvent event = LambdaEvents.fromJson(json, DynamodbEvent.class);
        assertThat(event.getRecords()).as(file.toString()).isNotEmpty();
        assertThat(event.getRecords().get(0).getDynamodb().getNewImage()).isNotEmpty();
      } else if (json.contains("\"Scheduled Event\"")) {
        ScheduledEvent event = LambdaEvents.fromJson(json, ScheduledEvent.class);
        assertThat(event.getSource()).as(file.toString()).isEqualTo("aws.events");
        assertThat(event.getTime()).as(file.toString()).isNotNull();
      } else if (json.contains("\"Records\"")) {
        SQSEvent event = LambdaEvents.fromJson(json, SQSEvent.class);
        assertThat(event.getRecords()).as(file.toString()).isNotEmpty();
        assertThat(event.getRecords().get(0).getBody()).isNotBlank();
      } else {
        APIGatewayV2HTTPEvent event = LambdaEvents.fromJson(json, APIGatewayV2HTTPEvent.class);
        assertThat(routes).as(file.toString()).contains(event.getRouteKey());
        assertThat(event.getRequestContext().getHttp().getMethod()).isNotBlank();
        sampled.add(event.getRouteKey());
      }
    }
    assertThat(sampled).as("every route has a sample event").containsAll(routes);
  }
}
