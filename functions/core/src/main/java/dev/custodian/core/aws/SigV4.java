package dev.custodian.core.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * AWS Signature Version 4 for a JSON {@code POST} to a service's root path, the only request {@link
 * SignedJsonCall} sends: the canonical request, the string to sign and the signature, with the
 * day's signing key kept until the day, the key or the scope changes. Written out because the SDK's
 * signer builds some forty objects a call and was a fifth of a warm order's own time; {@code
 * SigV4Test} holds it to the SDK's signer, header for header, for the same request and instant.
 */
final class SigV4 {

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  /** What SigV4 collapses inside a header value: runs of any whitespace the SDK's signer does. */
  private static final Pattern SPACES = Pattern.compile("[ \\t\\n\\r\\f\\u000B]+");

  /** Headers the SDK's signer leaves unsigned, as HTTP clients and proxies may change them. */
  private static final Set<String> UNSIGNED =
      Set.of("user-agent", "connection", "expect", "x-amzn-trace-id");

  /** Paths that canonicalise to themselves: no dot segments, no empty ones, nothing to encode. */
  private static final Pattern PLAIN_PATH =
      Pattern.compile("(/[A-Za-z0-9_~-]+(\\.[A-Za-z0-9_~-]+)*)*/?");

  /** The day's key for one secret (a class, not a record: no toString that prints the secret). */
  private static final class SigningKey {
    private final String secret;
    private final String day;
    private final byte[] key;

    SigningKey(String secret, String day, byte[] key) {
      this.secret = secret;
      this.day = day;
      this.key = key;
    }

    boolean isFor(String otherSecret, String otherDay) {
      return day.equals(otherDay) && secret.equals(otherSecret);
    }

    @Override
    public String toString() {
      return "SigningKey[" + day + "]";
    }
  }

  private final String region;
  private final String service;
  private volatile SigningKey cached;

  SigV4(String region, String service) {
    this.region = region;
    this.service = service;
  }

  /**
   * The headers to send with the request: {@code headers} (as given), {@code Host}, {@code
   * X-Amz-Date}, the payload's hash, the session token if the credentials have one, and {@code
   * Authorization}, which signs all of them but the user agent (as the SDK leaves it unsigned).
   */
  Map<String, String> sign(
      URI uri,
      Map<String, String> headers,
      byte[] payload,
      AwsCredentialsIdentity credentials,
      Instant at) {
    String amzDate = AMZ_DATE.format(at);
    String day = amzDate.substring(0, 8);
    Map<String, String> out = new LinkedHashMap<>(headers);
    out.put("Host", host(uri));
    out.put("X-Amz-Date", amzDate);
    String payloadHash = HEX.formatHex(sha256(payload));
    out.put("x-amz-content-sha256", payloadHash);
    if (credentials instanceof AwsSessionCredentialsIdentity session) {
      out.put("X-Amz-Security-Token", session.sessionToken());
    }
    TreeMap<String, String> signed = new TreeMap<>();
    out.forEach(
        (name, value) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!UNSIGNED.contains(lower)) {
            signed.put(lower, collapse(value.trim()));
          }
        });
    StringBuilder canonical = new StringBuilder(512);
    canonical.append("POST\n").append(path(uri)).append("\n\n");
    signed.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
    String signedHeaders = String.join(";", signed.keySet());
    canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
    String scope = day + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + HEX.formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    String signature =
        HEX.formatHex(
            hmac(
                signingKey(credentials.secretAccessKey(), day),
                toSign.getBytes(StandardCharsets.UTF_8)));
    out.put(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential="
            + credentials.accessKeyId()
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature);
    return out;
  }

  private byte[] signingKey(String secret, String day) {
    SigningKey key = cached;
    if (key == null || !key.isFor(secret, day)) {
      byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), bytes(day));
      k = hmac(k, bytes(region));
      k = hmac(k, bytes(service));
      k = hmac(k, bytes("aws4_request"));
      key = new SigningKey(secret, day, k);
      cached = key;
    }
    return key.key;
  }

  /** Runs of spaces inside a value as one, as SigV4 canonicalises them. */
  private static String collapse(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
      if (space && (c != ' ' || (i + 1 < value.length() && value.charAt(i + 1) <= ' '))) {
        return SPACES.matcher(value).replaceAll(" ");
      }
    }
    return value;
  }

  private static String host(URI uri) {
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (port == 443 && "https".equals(uri.getScheme()))
            || (port == 80 && "http".equals(uri.getScheme()));
    return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
  }

  /**
   * The canonical path: as sent, for the paths the calls use (segments of letters, digits and
   * {@code -_.~}, which encoding and normalising leave as they are, no {@code .} or {@code ..}
   * segment, no empty one); any other path is refused rather than signed wrong.
   */
  private static String path(URI uri) {
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) {
      return "/";
    }
    if (!PLAIN_PATH.matcher(path).matches()) {
      throw new IllegalArgumentException("a path SigV4 here does not encode: " + path);
    }
    return path;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
