package dev.custodian.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The local cloud against moto, with the test template and the fixture handlers. */
class LocalCloudIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalCloud cloud;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Path template = Path.of(resource("local-cloud-test-template.yaml"));
    cloud =
        LocalCloud.start(
            LocalCloudOptions.builder(template)
                .port(0)
                .stackName("lc-test")
                .queueVisibilityTimeout(1)
                .build());
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
    }
  }

  private static URI resource(String name) throws URISyntaxException {
    return LocalCloudIT.class.getClassLoader().getResource(name).toURI();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(cloud.baseUri().resolve(path)).timeout(Duration.ofSeconds(20));
  }

  private JsonNode echoedEvent(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void provisionsTablesWithTtlIndexesAndEncryption() {
    String table = cloud.ref("Items");
    TableDescription description =
        cloud.emulator().dynamoDb().describeTable(b -> b.tableName(table)).table();

    assertThat(table).isEqualTo("lc-test-Items");
    assertThat(description.globalSecondaryIndexes())
        .extracting("indexName")
        .containsExactly("byOwner");
    assertThat(
            cloud
                .emulator()
                .dynamoDb()
                .describeTimeToLive(b -> b.tableName(table))
                .timeToLiveDescription())
        .satisfies(
            ttl -> {
              assertThat(ttl.attributeName()).isEqualTo("expiresAt");
              assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
            });
  }

  @Test
  void provisionsQueuesWithRedriveAndKeysWithAliases() {
    Map<QueueAttributeName, String> attributes =
        cloud
            .emulator()
            .sqs()
            .getQueueAttributes(
                b -> b.queueUrl(cloud.ref("Work")).attributeNames(QueueAttributeName.ALL))
            .attributes();
    assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY))
        .contains("lc-test-WorkDeadLetters")
        .contains("2");

    String keyId =
        cloud
            .emulator()
            .kms()
            .describeKey(b -> b.keyId("alias/lc-test-test"))
            .keyMetadata()
            .keyId();
    assertThat(keyId).isEqualTo(cloud.ref("Key"));
  }

  @Test
  void httpRoute_getsAFaithfulPayload2Event() throws Exception {
    HttpResponse<String> response =
        send(
            request("/echo/a%20b?x=1&y=two&x=3")
                .header("X-Custom", "Value")
                .header("Cookie", "a=1; b=2")
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-loader")).hasValue("function-EchoFunction");
    assertThat(response.headers().firstValue("x-function")).hasValue("lc-test-EchoFunction");
    assertThat(response.headers().firstValue("set-cookie")).hasValue("seen=1; Path=/");
    JsonNode event = echoedEvent(response);
    assertThat(event.path("version").asText()).isEqualTo("2.0");
    assertThat(event.path("routeKey").asText()).isEqualTo("GET /echo/{id}");
    assertThat(event.path("rawPath").asText()).isEqualTo("/echo/a%20b");
    assertThat(event.path("rawQueryString").asText()).isEqualTo("x=1&y=two&x=3");
    assertThat(event.path("queryStringParameters").path("x").asText()).isEqualTo("1,3");
    assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("a b");
    assertThat(event.path("headers").path("x-custom").asText()).isEqualTo("Value");
    assertThat(event.path("headers").has("cookie")).isFalse();
    assertThat(event.path("cookies")).extracting(JsonNode::asText).containsExactly("a=1", "b=2");
    JsonNode context = event.path("requestContext");
    assertThat(context.path("http").path("method").asText()).isEqualTo("GET");
    assertThat(context.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(context.path("requestId").asText()).isNotBlank();
    assertThat(context.path("authorizer").isMissingNode()).isTrue();
  }

  @Test
  void literalRoutesWinOverVariables_andGreedyPathsMatchSlashes() throws Exception {
    assertThat(echoedEvent(send(request("/echo/literal").GET())).path("routeKey").asText())
        .isEqualTo("GET /echo/literal");
    JsonNode greedy =
        echoedEvent(
            send(request("/files/a/b/c.txt").method("PUT", HttpRequest.BodyPublishers.noBody())));
    assertThat(greedy.path("routeKey").asText()).isEqualTo("ANY /files/{path+}");
    assertThat(greedy.path("pathParameters").path("path").asText()).isEqualTo("a/b/c.txt");
  }

  @Test
  void bodies_arePassedAsTextOrBase64() throws Exception {
    JsonNode text =
        echoedEvent(
            send(
                request("/echo")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\":\"é\"}"))));
    assertThat(text.path("body").asText()).isEqualTo("{\"a\":\"é\"}");
    assertThat(text.path("isBase64Encoded").asBoolean()).isFalse();

    JsonNode binary =
        echoedEvent(
            send(
                request("/echo")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 0x41}))));
    assertThat(binary.path("isBase64Encoded").asBoolean()).isTrue();
    assertThat(binary.path("body").asText()).isEqualTo("/0E=");
  }

  @Test
  void jwtRoute_refusesMissingOrForgedTokens_andPassesVerifiedClaims() throws Exception {
    assertThat(send(request("/me").GET()).statusCode()).isEqualTo(401);
    assertThat(send(request("/me").header("Authorization", "Bearer a.b.c").GET()).statusCode())
        .isEqualTo(401);

    HttpResponse<String> minted =
        send(
            request("/_local/token")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"sub\":\"user-1\",\"email\":\"u@example.com\"}")));
    assertThat(minted.statusCode()).isEqualTo(200);
    String token = JSON.readTree(minted.body()).path("token").asText();

    String[] parts = token.split("\\.");
    String tampered =
        parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
    assertThat(
            send(request("/me").header("Authorization", "Bearer " + tampered).GET()).statusCode())
        .isEqualTo(401);

    HttpResponse<String> response =
        send(request("/me").header("Authorization", "Bearer " + token).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode claims =
        echoedEvent(response).path("requestContext").path("authorizer").path("jwt").path("claims");
    assertThat(claims.path("sub").asText()).isEqualTo("user-1");
    assertThat(claims.path("iss").asText()).isEqualTo("https://issuer.test/");
    assertThat(claims.path("aud").asText()).isEqualTo("test-client");
    assertThat(claims.path("auth_time").asLong())
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
  }

  @Test
  void iamRoute_refusesUnsignedCalls_andPassesThePrincipal() throws Exception {
    HttpResponse<String> unsigned = send(request("/admin/thing").GET());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(unsigned.body()).path("message").asText()).isEqualTo("Forbidden");

    HttpResponse<String> signed = send(signedBy("LOCALOperatorRole", "/admin/thing"));
    assertThat(signed.statusCode()).isEqualTo(200);
    JsonNode iam = echoedEvent(signed).path("requestContext").path("authorizer").path("iam");
    assertThat(iam.path("accessKey").asText()).isEqualTo("LOCALOperatorRole");
    assertThat(iam.path("userArn").asText())
        .isEqualTo("arn:aws:sts::123456789012:assumed-role/OperatorRole/local");
  }

  @Test
  void iamRoute_refusesPrincipalsWithoutInvokeRightsOnIt() throws Exception {
    // Any key but the operator role's; a function's role; the role on a route its policy leaves
    // out.
    assertThat(send(signedBy("AKIAOPERATOR", "/admin/thing")).statusCode()).isEqualTo(403);
    assertThat(send(signedBy("LOCALEchoFunction", "/admin/thing")).statusCode()).isEqualTo(403);
    assertThat(send(signedBy("LOCALOperatorRole", "/admin/other")).statusCode()).isEqualTo(403);
    assertThat(cloud.iam().denials())
        .extracting(d -> d.line())
        .contains(
            "IAM denied: OperatorRole execute-api:Invoke on arn:aws:execute-api:us-east-1:"
                + "123456789012:lc-test-Api/$default/GET/admin/other");
  }

  private HttpRequest.Builder signedBy(String accessKey, String path) {
    return request(path)
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential="
                + accessKey
                + "/20261124/us-east-1/execute-api/aws4_request, SignedHeaders=host,"
                + " Signature=abc")
        .GET();
  }

  @Test
  void unknownRoute_answers404Json() throws Exception {
    HttpResponse<String> response = send(request("/nowhere").GET());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()).path("message").asText()).isEqualTo("Not Found");
  }

  @Test
  void handlerException_answersAGeneric500_andTheGatewayKeepsServing() throws Exception {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> response = send(request("/boom").GET());
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
      assertThat(response.body()).doesNotContain("secret").doesNotContain("example.com");
    }
    assertThat(send(request("/echo/after").GET()).statusCode()).isEqualTo(200);
  }

  @Test
  void sqsPoller_deletesSuccesses_andRedrivesReportedFailuresToTheDeadLetterQueue()
      throws Exception {
    String queue = cloud.ref("Work");
    String deadLetters = cloud.ref("WorkDeadLetters");
    for (String body : new String[] {"ok-1", "fail", "ok-2"}) {
      cloud.emulator().sqs().sendMessage(b -> b.queueUrl(queue).messageBody(body));
    }

    Instant deadline = Instant.now().plusSeconds(40);
    String redriven = null;
    while (Instant.now().isBefore(deadline) && redriven == null) {
      var received =
          cloud
              .emulator()
              .sqs()
              .receiveMessage(
                  b -> b.queueUrl(deadLetters).waitTimeSeconds(1).maxNumberOfMessages(10))
              .messages();
      if (!received.isEmpty()) {
        assertThat(received).hasSize(1);
        redriven = received.get(0).body();
      }
    }
    assertThat(redriven).isEqualTo("fail");
    Map<QueueAttributeName, String> left =
        cloud
            .emulator()
            .sqs()
            .getQueueAttributes(
                b ->
                    b.queueUrl(queue)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    assertThat(left.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
    assertThat(left.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .isEqualTo("0");
  }

  @Test
  void ttlSweep_deletesExpiredItemsOnly() throws Exception {
    String table = cloud.ref("Items");
    long now = Instant.now().getEpochSecond();
    put(table, "expired", now - 10);
    put(table, "alive", now + 3600);

    HttpResponse<String> response =
        send(request("/_local/ttl-sweep").POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("deleted").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(get(table, "expired")).isFalse();
    assertThat(get(table, "alive")).isTrue();
  }

  @Test
  void outbox_listsEmailsSentThroughSes() throws Exception {
    var ses = cloud.emulator().ses();
    ses.createEmailIdentity(b -> b.emailIdentity("shop@example.com"));
    ses.sendEmail(
        b ->
            b.fromEmailAddress("shop@example.com")
                .destination(d -> d.toAddresses("someone@example.org"))
                .content(
                    c ->
                        c.simple(
                            s ->
                                s.subject(t -> t.data("Hello"))
                                    .body(x -> x.text(t -> t.data("Body text"))))));

    HttpResponse<String> response = send(request("/_local/outbox").GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode messages = JSON.readTree(response.body()).path("messages");
    assertThat(messages)
        .anySatisfy(
            m -> {
              assertThat(m.path("to").get(0).asText()).isEqualTo("someone@example.org");
              assertThat(m.path("subject").asText()).isEqualTo("Hello");
            });
  }

  private void put(String table, String pk, long expiresAt) {
    cloud
        .emulator()
        .dynamoDb()
        .putItem(
            b ->
                b.tableName(table)
                    .item(
                        Map.of(
                            "pk", AttributeValue.fromS(pk),
                            "expiresAt", AttributeValue.fromN(Long.toString(expiresAt)))));
  }

  private boolean get(String table, String pk) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true))
        .hasItem();
  }
}
