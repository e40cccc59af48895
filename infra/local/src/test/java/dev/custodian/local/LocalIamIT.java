package dev.custodian.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.local.iam.IamGate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local cloud enforces each function's role and Lambda's limits: calls made with a function's
 * credentials (as its code makes them) are allowed or denied as IAM would, in each service's own
 * error shape, and every denial is logged in one line.
 */
class LocalIamIT {

  private static LocalCloud cloud;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Path template =
        Path.of(
            LocalIamIT.class
                .getClassLoader()
                .getResource("local-cloud-test-template.yaml")
                .toURI());
    cloud =
        LocalCloud.start(LocalCloudOptions.builder(template).port(0).stackName("iam-test").build());
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  private static <
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
                  & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>,
          C>
      C as(String function, B builder) {
    return builder
        .region(Region.US_EAST_1)
        .endpointOverride(cloud.proxy().endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(IamGate.accessKeyOf(function), "testing")))
        .build();
  }

  private static String lastDenial() {
    List<IamGate.Denial> denials = cloud.iam().denials();
    assertThat(denials).isNotEmpty();
    return denials.get(denials.size() - 1).line();
  }

  private static String errorCode(Throwable e) {
    return ((AwsServiceException) e).awsErrorDetails().errorCode();
  }

  private static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", AttributeValue.fromS(pk));
  }

  @Test
  void aGrantedCall_reachesTheEmulator_andAnUngrantedOne_isDeniedAsDynamoDbDenies() {
    String table = cloud.ref("Items");
    try (DynamoDbClient reader = as("ReaderFunction", DynamoDbClient.builder())) {
      assertThat(reader.getItem(b -> b.tableName(table).key(key("item#1"))).hasItem()).isFalse();
      reader.query(
          b ->
              b.tableName(table)
                  .indexName("byOwner")
                  .keyConditionExpression("#o = :o")
                  .expressionAttributeNames(Map.of("#o", "owner"))
                  .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("x"))));

      assertThatThrownBy(() -> reader.putItem(b -> b.tableName(table).item(key("item#1"))))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"))
          .hasMessageContaining("ReaderFunction is not authorized to perform: dynamodb:PutItem");
      assertThat(lastDenial())
          .isEqualTo("IAM denied: ReaderFunction dynamodb:PutItem on " + tableArn());
      assertThat(
              cloud
                  .emulator()
                  .dynamoDb()
                  .getItem(b -> b.tableName(table).key(key("item#1")).consistentRead(true))
                  .hasItem())
          .as("the denied put never reached the table")
          .isFalse();
    }
  }

  @Test
  void anExplicitDeny_winsOverTheAllow() {
    try (DynamoDbClient reader = as("ReaderFunction", DynamoDbClient.builder())) {
      assertThatThrownBy(
              () -> reader.getItem(b -> b.tableName(cloud.ref("Items")).key(key("secret#x"))))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"))
          .hasMessageContaining("explicit deny");
    }
  }

  @Test
  void aFunctionWithoutTheGrant_isDeniedInEveryServicesOwnShape() {
    try (DynamoDbClient dynamoDb = as("EchoFunction", DynamoDbClient.builder());
        SqsClient sqs = as("EchoFunction", SqsClient.builder());
        KmsClient kms = as("EchoFunction", KmsClient.builder());
        SesV2Client ses = as("EchoFunction", SesV2Client.builder())) {
      assertThatThrownBy(() -> dynamoDb.getItem(b -> b.tableName(cloud.ref("Items")).key(key("a"))))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"));
      assertThat(lastDenial())
          .isEqualTo("IAM denied: EchoFunction dynamodb:GetItem on " + tableArn());

      assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(cloud.ref("Work")).messageBody("x")))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDenied"));
      assertThat(lastDenial())
          .startsWith("IAM denied: EchoFunction sqs:SendMessage on arn:aws:sqs:");

      assertThatThrownBy(
              () ->
                  kms.generateDataKey(
                      b -> b.keyId(cloud.ref("KeyAlias")).keySpec(DataKeySpec.AES_256)))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"));
      assertThat(lastDenial())
          .startsWith("IAM denied: EchoFunction kms:GenerateDataKey on arn:aws:kms:")
          .as("an alias is authorized as the key it names")
          .contains(":key/");

      assertThatThrownBy(
              () ->
                  ses.sendEmail(
                      b ->
                          b.fromEmailAddress("shop@example.com")
                              .destination(d -> d.toAddresses("a@example.com"))
                              .content(
                                  c ->
                                      c.simple(
                                          m ->
                                              m.subject(s -> s.data("s"))
                                                  .body(x -> x.text(t -> t.data("b")))))))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"))
          .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(403));
      assertThat(lastDenial())
          .endsWith(
              "ses:SendEmail on arn:aws:ses:us-east-1:123456789012:identity/shop@example.com");
    }
  }

  @Test
  void keyUse_isAllowedUnderItsOwnPurposeOnly() {
    try (KmsClient kms = as("ReaderFunction", KmsClient.builder())) {
      SdkBytes wrapped =
          kms.generateDataKey(
                  b ->
                      b.keyId(cloud.ref("KeyAlias"))
                          .keySpec(DataKeySpec.AES_256)
                          .encryptionContext(Map.of("purpose", "reading", "itemId", "i1")))
              .ciphertextBlob();
      assertThat(
              kms.decrypt(
                      b ->
                          b.keyId(cloud.ref("KeyAlias"))
                              .ciphertextBlob(wrapped)
                              .encryptionContext(Map.of("purpose", "reading", "itemId", "i1")))
                  .plaintext()
                  .asByteArray())
          .hasSize(32);

      assertThatThrownBy(
              () ->
                  kms.decrypt(
                      b ->
                          b.keyId(cloud.ref("KeyAlias"))
                              .ciphertextBlob(wrapped)
                              .encryptionContext(Map.of("purpose", "writing", "itemId", "i1"))))
          .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"));
      assertThat(lastDenial()).startsWith("IAM denied: ReaderFunction kms:Decrypt on ");
    }
  }

  @Test
  void aQueueConsumer_isPolledWithItsRole_andTheGrantsUsedAreRecorded() throws Exception {
    cloud.emulator().sqs().sendMessage(b -> b.queueUrl(cloud.ref("Work")).messageBody("ok-1"));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!cloud.deliveredMessages("Work").contains("ok-1") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(cloud.deliveredMessages("Work")).contains("ok-1");
    assertThat(cloud.iam().used().get("WorkerFunction"))
        .anySatisfy(line -> assertThat(line).startsWith("sqs:ReceiveMessage\tarn:aws:sqs:"));
  }

  /** A raw call to the proxy as a function, with a signature header the proxy does not verify. */
  private HttpResponse<String> raw(String path, String service, String body, String... targets)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(cloud.proxy().endpoint() + path))
            .header("Content-Type", "application/x-amz-json-1.0")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=LOCALReaderFunction/20261202/us-east-1/"
                    + service
                    + "/aws4_request, SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (String target : targets) {
      request.header("X-Amz-Target", target);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void whatTheEmulatorWouldReadOtherwise_isRefused_notForwarded() throws Exception {
    String table = cloud.ref("Items");
    cloud
        .emulator()
        .dynamoDb()
        .putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("kept#1"))));
    String get = "{\"TableName\":\"" + table + "\",\"Key\":{\"pk\":{\"S\":\"kept#1\"}}}";
    // The allowed GetItem, then the same call made to act as a Scan, twice over, or elsewhere.
    assertThat(raw("/", "dynamodb", get, "DynamoDB_20120810.GetItem").statusCode()).isEqualTo(200);
    List<HttpResponse<String>> refused =
        List.of(
            raw("/?Action=Scan", "dynamodb", get, "DynamoDB_20120810.GetItem"),
            raw("/", "dynamodb", get, "DynamoDB_20120810.GetItem", "DynamoDB_20120810.Scan"),
            raw("/", "kms", get, "DynamoDB_20120810.GetItem"),
            raw("/moto-api/reset", "dynamodb", get, "DynamoDB_20120810.GetItem"),
            raw(
                "/",
                "dynamodb",
                "{\"TransactItems\":[{\"ConditionCheck\":{\"TableName\":\""
                    + table
                    + "\",\"Key\":{}},\"Get\":{\"TableName\":\""
                    + table
                    + "\",\"Key\":{\"pk\":{\"S\":\"kept#1\"}}}}]}",
                "DynamoDB_20120810.TransactGetItems"));
    for (HttpResponse<String> response : refused) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("AccessDeniedException");
    }
    assertThat(cloud.emulator().dynamoDb().listTables().tableNames())
        .as("the emulator was not reset")
        .contains(table);
  }

  @Test
  void aResponsePastSixMegabytes_failsTheInvocation() throws Exception {
    HttpResponse<String> big = get("/big");
    assertThat(big.statusCode()).isEqualTo(500);
    assertThat(big.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
  }

  @Test
  void anInvocationPastItsTimeout_fails() throws Exception {
    assertThat(get("/slow?ms=3000").statusCode()).isEqualTo(500);
    assertThat(get("/slow?ms=10").statusCode()).isEqualTo(200);
  }

  @Test
  void reservedConcurrency_throttlesTheInvocationBeyondIt() throws Exception {
    CompletableFuture<HttpResponse<String>> first =
        http.sendAsync(request("/slow?ms=1000"), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    HttpResponse<String> second = get("/slow?ms=10");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(get("/slow?ms=10").statusCode()).as("free again").isEqualTo(200);
  }

  private static String tableArn() {
    return "arn:aws:dynamodb:us-east-1:123456789012:table/" + cloud.ref("Items");
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(cloud.baseUri() + path))
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path), HttpResponse.BodyHandlers.ofString());
  }
}
