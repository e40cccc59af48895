package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.Scenarios.Request;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An export past the response limit, as the export worker writes it (its own paging and store), is
 * served in pages that together hold everything. The heavy customer's whole flow is infra/e2e's
 * HeavyExportIT.
 */
class ExportPagingIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  @Test
  void anExportPastOneResponse_isServedInPages_thatTogetherHoldEverything() throws Exception {
    // GIVEN a completed access request of a known person (made directly in the key store)
    String email = "paged." + UUID.randomUUID() + "@example.com";
    Map<String, String> requests = cloud.environmentOf("PrivacyRequestFunction");
    new PrivacyCore(
            CoreConfig.fromEnvironment(requests),
            AwsClients.fromEnvironment(requests),
            Clock.systemUTC())
        .directory()
        .findOrCreateByEmail(email);
    Request request = scenarios.verifiedRequest("ACCESS", email);
    assertThat(scenarios.export(request).status()).isEqualTo(200);

    // AND its export rewritten as the worker writes one too big for a response (small budget)
    Map<String, String> env = cloud.environmentOf("ExportWorkerFunction");
    PrivacyCore core =
        new PrivacyCore(
            CoreConfig.fromEnvironment(env), AwsClients.fromEnvironment(env), Clock.systemUTC());
    String subjectId = subject(request.id());
    List<Map<String, Object>> orders = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      orders.add(Map.of("orderId", "o_" + i, "note", "x".repeat(500)));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orders", orders);
    data.put("contactMessages", List.of());
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("requestId", request.id());
    header.put("generatedAt", Instant.now().toString());
    List<String> pages =
        new ExportPages(60_000).paginate(header, data, Map.of("automatedDecisions", "none"));
    assertThat(pages.size()).isGreaterThan(2);
    Map<String, AttributeValue> manifest =
        new ExportStore(
                core, env.get("EXPORTS_TABLE"), new RequestKeys(core.kms(), env.get("DATA_KEY_ID")))
            .write(request.id(), subjectId, pages, Instant.now())
            .manifest();

    cloud.emulator().dynamoDb().putItem(b -> b.tableName(cloud.ref("ExportsTable")).item(manifest));

    // WHEN every page is read through the API
    Map<String, String> bearer = request.bearer();
    List<String> orderIds = new ArrayList<>();
    for (int page = 1; page <= pages.size(); page++) {
      Response answer =
          api.get("/privacy/requests/" + request.id() + "/export?page=" + page, bearer);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().path("page").asInt()).isEqualTo(page);
      assertThat(answer.json().path("pages").asInt()).isEqualTo(pages.size());
      answer
          .json()
          .path("data")
          .path("orders")
          .forEach(o -> orderIds.add(o.path("orderId").asText()));
    }

    // THEN together they hold every record once, and past the last page there is nothing
    assertThat(orderIds).hasSize(400).doesNotHaveDuplicates();
    assertThat(
            api.get(
                    "/privacy/requests/" + request.id() + "/export?page=" + (pages.size() + 1),
                    bearer)
                .status())
        .isEqualTo(404);
    for (String bad : List.of("0", "-1", "x", "1.5", "100000")) {
      Response refused =
          api.get("/privacy/requests/" + request.id() + "/export?page=" + bad, bearer);
      assertThat(refused.status()).as("page=" + bad).isEqualTo(400);
      assertThat(refused.json().path("fields").get(0).path("field").asText()).isEqualTo("page");
    }
    // and without the token, no page is shown
    assertThat(api.get("/privacy/requests/" + request.id() + "/export?page=2", Map.of()).status())
        .isEqualTo(404);
    // (an erasure deletes the manifest and every part: ErasureIT)
  }

  private String subject(String requestId) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(cloud.ref("ExportsTable"))
                    .key(Map.of("pk", AttributeValue.fromS("export#" + requestId))))
        .item()
        .get("subjectId")
        .s();
  }
}
