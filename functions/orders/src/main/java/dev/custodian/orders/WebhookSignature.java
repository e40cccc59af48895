package dev.custodian.orders;

import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.log.Log;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The payment provider's signature: header {@code Payment-Signature: t=<epoch seconds>,v1=<hex>}
 * where v1 is HMAC-SHA-256 over {@code t + "." + raw body} with the shared secret. A signature more
 * than five minutes from now either way is refused (a captured event cannot be replayed later), and
 * the comparison takes the same time wherever the first difference is.
 */
final class WebhookSignature {

  static final String HEADER = "payment-signature";
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  private static final Pattern FORMAT = Pattern.compile("t=([0-9]{1,12}),v1=([0-9a-f]{64})");

  private final WebhookSecret secret;
  private final Clock clock;

  WebhookSignature(WebhookSecret secret, Clock clock) {
    this.secret = secret;
    this.clock = clock;
  }

  /** Passes a genuine, fresh signature of this body; refuses anything else alike (401). */
  void verify(Optional<String> header, byte[] body) {
    Matcher m = FORMAT.matcher(header.orElse("").trim());
    if (!m.matches()) {
      throw refused("malformed");
    }
    long timestamp = Long.parseLong(m.group(1));
    long age = clock.instant().getEpochSecond() - timestamp;
    if (Math.abs(age) > TOLERANCE.toSeconds()) {
      throw refused("stale");
    }
    // Opened only for a well-formed, fresh signature (and so never while priming a snapshot).
    byte[] key =
        secret
            .value()
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.UNAVAILABLE, "Payment events are not accepted yet."));
    byte[] expected = mac(key, timestamp, body).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, m.group(2).getBytes(StandardCharsets.US_ASCII))) {
      throw refused("mismatch");
    }
  }

  /** The header value a provider sends for this body at this time. */
  static String sign(byte[] key, long timestamp, byte[] body) {
    return "t=" + timestamp + ",v1=" + mac(key, timestamp, body);
  }

  private static String mac(byte[] key, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static ApiException refused(String why) {
    Log.warn("payment event refused", "signature", why);
    // One answer for every kind of bad signature: a forger learns nothing from it.
    return new ApiException(ErrorCode.UNAUTHORIZED, "The event's signature is not valid.");
  }
}
