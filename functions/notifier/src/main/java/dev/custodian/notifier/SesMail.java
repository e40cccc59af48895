package dev.custodian.notifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * SES v2's {@code SendEmail}, and nothing else of SES: one signed JSON {@code POST
 * /v2/email/outbound-emails} through the container's HTTP client, with the function's credentials
 * and user agent, as the SDK's SES client would send it. The SDK's SES v2 client is 2.7 MB of model
 * classes for ~100 operations the notifier never calls (it took the jar past its 12 MB budget); the
 * signer and HTTP client are already in every jar.
 */
final class SesMail {

  /** SES answered with an error; its type (never its message, which can quote the address). */
  static final class SesRefused extends RuntimeException {
    private final int status;
    private final String errorType;

    SesRefused(int status, String errorType) {
      super("SES refused the email: " + status + " " + errorType, null, false, false);
      this.status = status;
      this.errorType = errorType;
    }

    int status() {
      return status;
    }

    String errorType() {
      return errorType;
    }
  }

  private static final String SIGNING_NAME = "ses";
  private static final String PATH = "/v2/email/outbound-emails";

  private final AwsClients clients;
  private final URI endpoint;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final String userAgent;

  SesMail(AwsClients clients) {
    this.clients = clients;
    this.endpoint =
        clients
            .endpoint()
            .orElseGet(
                () -> URI.create("https://email." + clients.region().id() + ".amazonaws.com"));
    this.userAgent = "custodian-notifier" + clients.userAgentSuffix().map(s -> " " + s).orElse("");
  }

  /** Sends a plain-text email from the sender to one address; throws {@link SesRefused}. */
  void send(String from, String to, String subject, String body) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("FromEmailAddress", from);
    request.putObject("Destination").putArray("ToAddresses").add(to);
    ObjectNode simple = request.putObject("Content").putObject("Simple");
    simple.putObject("Subject").put("Data", subject).put("Charset", "UTF-8");
    simple.putObject("Body").putObject("Text").put("Data", body).put("Charset", "UTF-8");
    byte[] payload = Json.write(request).getBytes(StandardCharsets.UTF_8);

    SdkHttpFullRequest http =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint.resolve(PATH))
            .putHeader("Content-Type", "application/json")
            .putHeader("User-Agent", userAgent)
            .build();
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(clients.credentials().resolveCredentials())
                    .request(http)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, clients.region().id()));
    try {
      HttpExecuteResponse response =
          clients
              .httpClient()
              .prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(signed.payload().orElse(null))
                      .build())
              .call();
      int status = response.httpResponse().statusCode();
      byte[] answer =
          response.responseBody().isPresent()
              ? response.responseBody().get().readAllBytes()
              : new byte[0];
      if (status / 100 != 2) {
        throw new SesRefused(status, errorType(response, answer));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("SES could not be reached", e);
    }
  }

  /** The error's type, from the header or the body's {@code __type}/{@code code}; no message. */
  private static String errorType(HttpExecuteResponse response, byte[] answer) {
    String type = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse(null);
    if (type == null) {
      try {
        var json = Json.MAPPER.readTree(answer);
        type = json.path("__type").asText(json.path("code").asText("unknown"));
      } catch (IOException notJson) {
        type = "unknown";
      }
    }
    int colon = type.indexOf(':');
    return colon < 0 ? type : type.substring(0, colon);
  }
}
