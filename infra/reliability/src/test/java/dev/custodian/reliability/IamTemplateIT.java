package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.local.ApiClient;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.LocalCloudOptions;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import dev.custodian.local.iam.IamGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * The project's own template under the local cloud's IAM: a permission taken out of a copy makes
 * the function that needs it fail, with the denial logged and nothing written; and each function
 * may use the data key only under the encryption contexts of its own purpose.
 */
class IamTemplateIT {

  @Test
  void withoutItsWriteGrant_placingAnOrder_failsWithTheDenialLogged_andWritesNothing()
      throws Exception {
    String template = Files.readString(ProjectFiles.root().resolve("template.yaml"));
    String grant =
        """
                    - Sid: WriteOrders
                      Effect: Allow
                      Action: dynamodb:PutItem
                      Resource: !GetAtt OrdersTable.Arn
        """;
    assertThat(template).as("the grant this test removes").contains(grant);
    Path copy = ProjectFiles.root().resolve("target/iam-it/template.yaml");
    Files.createDirectories(copy.getParent());
    Files.writeString(
        copy,
        template.replace(grant, "").replace("CodeUri: functions/", "CodeUri: ../../functions/"));

    LocalCloud shared = SharedLocalCloud.get();
    try (LocalCloud cloud =
        LocalCloud.start(
            LocalCloudOptions.builder(copy)
                .endpoint(shared.emulator().endpoint())
                .port(0)
                .stackName("iam-" + UUID.randomUUID().toString().substring(0, 8))
                .functions(LocalCloud.Functions.BUILT)
                .build())) {
      ApiClient api = new ApiClient(cloud.baseUri());
      // The sample catalogue was put, and audited, at start: count from here.
      Map<String, Integer> before = new java.util.HashMap<>();
      for (String table : List.of("OrdersTable", "AuditTable", "IdempotencyTable")) {
        before.put(
            table, cloud.emulator().dynamoDb().scan(b -> b.tableName(cloud.ref(table))).count());
      }
      ApiClient.Response placed =
          api.post(
              "/orders",
              Scenarios.orderBody("iam." + UUID.randomUUID() + "@example.com"),
              Map.of("idempotency-key", "iam-" + UUID.randomUUID()));

      assertThat(placed.status()).isEqualTo(500);
      assertThat(cloud.iam().denials())
          .extracting(IamGate.Denial::line)
          .containsExactly(
              "IAM denied: PlaceOrderFunction dynamodb:PutItem on "
                  + "arn:aws:dynamodb:us-east-1:123456789012:table/"
                  + cloud.ref("OrdersTable"));
      for (String table : List.of("OrdersTable", "AuditTable", "IdempotencyTable")) {
        assertThat(cloud.emulator().dynamoDb().scan(b -> b.tableName(cloud.ref(table))).count())
            .as("the order's transaction wrote nothing to " + table)
            .isEqualTo(before.get(table));
      }
    }
  }

  @Test
  void aFunctionAskingForAnotherPurposesKeyContext_isDenied() {
    LocalCloud cloud = SharedLocalCloud.get();
    String key = cloud.environmentOf("AnalyticsIngestFunction").get("DATA_KEY_ID");
    try (KmsClient analytics =
        KmsClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(cloud.proxy().endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        IamGate.accessKeyOf("AnalyticsIngestFunction"), "testing")))
            .build()) {
      // Its own purpose: the visitor pseudonym secret.
      analytics.generateDataKey(
          b ->
              b.keyId(key)
                  .keySpec(DataKeySpec.AES_256)
                  .encryptionContext(
                      Map.of("purpose", "blind-index", "index", "analytics-pseudonym")));
      // A person's data key, or the email lookup secret: not its purpose.
      for (Map<String, String> context :
          List.of(
              Map.of("purpose", "subject-data", "subjectId", "s_any"),
              Map.of("purpose", "blind-index", "index", "subject-lookup"),
              Map.of("purpose", "privacy-request", "requestId", "r_any"))) {
        assertThatThrownBy(
                () ->
                    analytics.generateDataKey(
                        b -> b.keyId(key).keySpec(DataKeySpec.AES_256).encryptionContext(context)))
            .as(context.toString())
            .satisfies(
                e ->
                    assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isEqualTo("AccessDeniedException"));
      }
    }
  }
}
