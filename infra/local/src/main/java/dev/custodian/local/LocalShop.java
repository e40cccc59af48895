package dev.custodian.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.gateway.Gateway;
import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import dev.custodian.local.runtime.ServedFunctions;
import dev.custodian.local.template.Template;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What makes the local cloud a working shop: the sample catalogue, put through the operators'
 * catalogue route at start, and a stand-in payment provider. The provider's webhook secret is made
 * here and wrapped with the template's data key, as an operator does for a deployment, so the
 * payment function opens it exactly as in AWS; {@code POST /_local/pay/{orderId}} signs an event
 * with it.
 */
final class LocalShop {

  static final String SECRET_PARAMETER = "PaymentWebhookSecretCiphertext";
  static final String SAMPLE_CATALOGUE = "infra/local/sample-catalogue.json";
  static final String SIGNATURE_HEADER = "Payment-Signature";
  static final String POLICY_VERSION_PARAMETER = "PolicyVersion";
  private static final String SEED_PRINCIPAL =
      "arn:aws:iam::" + Emulator.ACCOUNT_ID + ":role/local-catalogue-seed";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalShop() {}

  /**
   * The webhook secret the payment function will read: a new random one wrapped with the data key
   * under {@code purpose=payment-webhook} unless one was given. Null when the template has no such
   * parameter.
   */
  static byte[] provideWebhookSecret(Template template, Emulator emulator, String dataKeyId) {
    String given = template.parameter(SECRET_PARAMETER);
    if (given == null) {
      return null;
    }
    Map<String, String> context = Map.of("purpose", "payment-webhook");
    if (!given.isBlank()) {
      return emulator
          .kms()
          .decrypt(
              d ->
                  d.keyId(dataKeyId)
                      .ciphertextBlob(SdkBytes.fromByteArray(Base64.getDecoder().decode(given)))
                      .encryptionContext(context))
          .plaintext()
          .asByteArray();
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    byte[] wrapped =
        emulator
            .kms()
            .encrypt(
                e ->
                    e.keyId(dataKeyId)
                        .plaintext(SdkBytes.fromByteArray(secret))
                        .encryptionContext(context))
            .ciphertextBlob()
            .asByteArray();
    template.setParameter(SECRET_PARAMETER, Base64.getEncoder().encodeToString(wrapped));
    return secret;
  }

  /**
   * Seeds a served shop as an operator would after a deploy: the sample catalogue through the
   * catalogue's operator route, and the template's first privacy-policy version.
   */
  static void seed(ServedFunctions functions, Template template) throws IOException {
    FunctionHost catalogueAdmin = functions.find("CatalogueAdminFunction");
    Path sample = sampleCatalogue(template.directory());
    if (catalogueAdmin != null && sample != null) {
      System.out.println(
          "  catalogue: "
              + seedCatalogue(catalogueAdmin, sample)
              + " sample products from "
              + SAMPLE_CATALOGUE);
    }
    FunctionHost policyAdmin = functions.find("PolicyAdminFunction");
    String firstVersion = template.parameter(POLICY_VERSION_PARAMETER);
    if (policyAdmin != null && firstVersion != null) {
      System.out.println("  policy: " + seedPolicy(policyAdmin, firstVersion));
    }
  }

  /**
   * Seeds a shop whose functions are not served: the two admin functions run for the seeding only
   * and are closed after.
   */
  static void seedUnserved(List<FunctionSpec> functions, String region, Template template)
      throws IOException {
    Set<String> seeders = Set.of("CatalogueAdminFunction", "PolicyAdminFunction");
    try (ServedFunctions admins =
        new ServedFunctions(
            functions,
            function -> seeders.contains(function.logicalId()) && Files.exists(function.code()),
            region,
            Emulator.ACCOUNT_ID,
            1)) {
      seed(admins, template);
    }
  }

  /**
   * The sample catalogue beside the template, else in the project (a test's altered copy of the
   * template lives elsewhere); null when there is none.
   */
  static Path sampleCatalogue(Path templateDirectory) {
    Path beside = templateDirectory.resolve(SAMPLE_CATALOGUE);
    if (Files.exists(beside)) {
      return beside;
    }
    try {
      Path project = ProjectFiles.root().resolve(SAMPLE_CATALOGUE);
      return Files.exists(project) ? project : null;
    } catch (IllegalStateException noProject) {
      return null;
    }
  }

  /** Puts every product of the sample file through the catalogue's operator route. */
  static int seedCatalogue(FunctionHost admin, Path file) throws IOException {
    JsonNode products = JSON.readTree(Files.readString(file)).path("products");
    int seeded = 0;
    for (JsonNode product : products) {
      String sku = product.path("sku").asText();
      ObjectNode body = product.deepCopy();
      body.remove("sku");
      String response;
      try {
        response = admin.invokeSync(seedEvent(sku, body).toString(), UUID.randomUUID().toString());
      } catch (FunctionHost.InvocationFailed e) {
        throw new IOException("seeding " + sku + " failed: " + e.getMessage(), e);
      }
      int status = JSON.readTree(response).path("statusCode").asInt();
      if (status != 200) {
        throw new IOException("seeding " + sku + " answered " + status);
      }
      seeded++;
    }
    return seeded;
  }

  /**
   * Publishes the template's first policy version through the operators' route, from the default
   * template, as an operator does after a first deploy; a version published already stays as it is
   * (409). Answers what happened, for the start-up banner.
   */
  static String seedPolicy(FunctionHost admin, String version) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", version);
    body.put("material", false);
    body.put("summaryOfChanges", "First published version.");
    String path = "/admin/privacy/policy/versions";
    String route = "POST " + path;
    ObjectNode event = operatorEvent(route, path, "POST", body);
    String response;
    try {
      response = admin.invokeSync(event.toString(), UUID.randomUUID().toString());
    } catch (FunctionHost.InvocationFailed e) {
      throw new IOException("publishing policy " + version + " failed: " + e.getMessage(), e);
    }
    int status = JSON.readTree(response).path("statusCode").asInt();
    return switch (status) {
      case 201 -> "version " + version + " published from the default template";
      case 409 -> "version " + version + " was published already";
      default -> throw new IOException("publishing policy " + version + " answered " + status);
    };
  }

  private static ObjectNode operatorEvent(
      String routeKey, String path, String method, JsonNode body) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", routeKey);
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    event.putObject("headers").put("content-type", "application/json");
    ObjectNode context = event.putObject("requestContext");
    context.put("requestId", "seed-" + UUID.randomUUID());
    context.put("routeKey", routeKey);
    ObjectNode http = context.putObject("http");
    http.put("method", method);
    http.put("path", path);
    http.put("sourceIp", "127.0.0.1");
    context.putObject("authorizer").putObject("iam").put("userArn", SEED_PRINCIPAL);
    event.put("body", body.toString());
    event.put("isBase64Encoded", false);
    return event;
  }

  private static ObjectNode seedEvent(String sku, JsonNode body) {
    String path = "/admin/catalogue/" + sku;
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "PUT /admin/catalogue/{sku}");
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    event.putObject("headers").put("content-type", "application/json");
    event.putObject("pathParameters").put("sku", sku);
    ObjectNode context = event.putObject("requestContext");
    context.put("requestId", "seed-" + UUID.randomUUID());
    context.put("routeKey", "PUT /admin/catalogue/{sku}");
    ObjectNode http = context.putObject("http");
    http.put("method", "PUT");
    http.put("path", path);
    http.put("sourceIp", "127.0.0.1");
    context.putObject("authorizer").putObject("iam").put("userArn", SEED_PRINCIPAL);
    event.put("body", body.toString());
    event.put("isBase64Encoded", false);
    return event;
  }

  /** The header a provider sends: HMAC-SHA-256 over {@code timestamp + "." + body}. */
  static String signature(byte[] secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code POST /_local/pay/{orderId}}: a signed provider event for the order's total, sent to the
   * webhook route; the request body may set {@code outcome}, {@code amount}, {@code currency} or
   * {@code eventId} (to try what a provider might send).
   */
  static Gateway.Answer pay(LocalCloud cloud, byte[] secret, String orderId, byte[] requestBody)
      throws IOException {
    if (secret == null) {
      return new Gateway.Answer(501, Map.of("message", "The template has no webhook secret."));
    }
    if (!orderId.matches("o_[0-9a-f]{32}")) {
      return new Gateway.Answer(404, Map.of("message", "No such order."));
    }
    JsonNode overrides =
        requestBody.length == 0 ? JSON.createObjectNode() : JSON.readTree(requestBody);
    // The provider knows the amount because the checkout told it; here it is read from the order.
    Map<String, AttributeValue> order =
        cloud
            .emulator()
            .dynamoDb()
            .getItem(
                g ->
                    g.tableName(cloud.ref("OrdersTable"))
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS("order#" + orderId),
                                "sk", AttributeValue.fromS("transaction"))))
            .item();
    if (order == null || order.isEmpty()) {
      return new Gateway.Answer(404, Map.of("message", "No such order."));
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put(
        "eventId",
        overrides.path("eventId").asText("evt_" + UUID.randomUUID().toString().replace("-", "")));
    event.put("orderId", orderId);
    event.put(
        "amount",
        overrides.has("amount")
            ? overrides.path("amount").asLong()
            : Long.parseLong(order.get("total").n()));
    event.put("currency", overrides.path("currency").asText(order.get("currency").s()));
    event.put("outcome", overrides.path("outcome").asText("succeeded"));
    event.put("providerReference", "pi_local_" + HexFormat.of().formatHex(randomBytes(12)));
    event.put("cardLast4", "4242");
    byte[] body = JSON.writeValueAsBytes(event);
    long now = System.currentTimeMillis() / 1000;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(cloud.baseUri() + "/payments/events"))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature(secret, now, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      return new Gateway.Answer(
          response.statusCode(), Map.of("event", event, "answer", JSON.readTree(response.body())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
