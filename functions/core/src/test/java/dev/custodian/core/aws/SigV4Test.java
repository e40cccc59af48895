package dev.custodian.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The hand-written signature must be the SDK signer's, header for header. */
class SigV4Test {

  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Type", "application/x-amz-json-1.0",
          "X-Amz-Target", "DynamoDB_20120810.TransactWriteItems",
          "X-Custom", "  two \t  spaced\twords ",
          "Connection", "keep-alive",
          "Expect", "100-continue",
          "User-Agent", "custodian fn/orders-place");

  @ParameterizedTest
  @CsvSource({
    "https://dynamodb.eu-west-1.amazonaws.com/, eu-west-1, dynamodb, false, 2026-12-03T10:15:30Z",
    "http://127.0.0.1:4566/, us-east-1, kms, true, 2026-12-31T23:59:59Z",
    "https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails, eu-west-1, ses, true,"
        + " 2027-01-01T00:00:00Z"
  })
  void theSignature_isTheSdkSigners(
      String endpoint, String region, String service, boolean session, String instant) {
    URI uri = URI.create(endpoint);
    Instant at = Instant.parse(instant);
    AwsCredentialsIdentity credentials =
        session
            ? AwsSessionCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", "token+/=")
            : AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG");
    byte[] payload = "{\"TransactItems\":[]}".getBytes(StandardCharsets.UTF_8);

    Map<String, String> ours =
        new SigV4(region, service).sign(uri, HEADERS, payload, credentials, at);

    SdkHttpFullRequest.Builder request =
        SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(uri);
    HEADERS.forEach(request::putHeader);
    var sdk =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(payload))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
            .request();
    Map<String, String> theirs = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sdk.headers().forEach((name, values) -> theirs.put(name, values.get(0)));

    assertThat(ours.get("Authorization")).isEqualTo(theirs.get("Authorization"));
    assertThat(ours.get("X-Amz-Date")).isEqualTo(theirs.get("X-Amz-Date"));
    assertThat(ours.get("X-Amz-Security-Token")).isEqualTo(theirs.get("X-Amz-Security-Token"));
    assertThat(ours.get("Host")).isEqualTo(theirs.get("Host"));
  }

  @Test
  void aKeyOrDayChange_signsWithTheNewKey_notTheCachedOne() {
    SigV4 signer = new SigV4("eu-west-1", "kms");
    URI uri = URI.create("https://kms.eu-west-1.amazonaws.com/");
    byte[] payload = new byte[0];
    Instant day = Instant.parse("2026-12-03T10:00:00Z");
    String first =
        signer
            .sign(uri, HEADERS, payload, AwsBasicCredentials.create("A", "one"), day)
            .get("Authorization");
    String otherKey =
        signer
            .sign(uri, HEADERS, payload, AwsBasicCredentials.create("A", "two"), day)
            .get("Authorization");
    String again =
        signer
            .sign(uri, HEADERS, payload, AwsBasicCredentials.create("A", "one"), day)
            .get("Authorization");
    assertThat(otherKey).isNotEqualTo(first);
    assertThat(again).isEqualTo(first);
  }

  @ParameterizedTest
  @CsvSource({"/v2/a%20b", "/a/./b", "/a/../b", "//a", "/a//b"})
  void aPathThatWouldNeedEncodingOrNormalising_isRefused(String path) {
    assertThatThrownBy(
            () ->
                new SigV4("eu-west-1", "ses")
                    .sign(
                        URI.create("https://email.eu-west-1.amazonaws.com" + path),
                        HEADERS,
                        new byte[0],
                        AwsBasicCredentials.create("A", "B"),
                        Instant.now()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
