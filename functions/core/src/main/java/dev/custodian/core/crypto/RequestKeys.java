package dev.custodian.core.crypto;

import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;

/**
 * A data key per data-subject request: it seals the requester's email (and any corrections) on the
 * request before anyone is known to be a data subject, so a request about an unknown email creates
 * no subject, and deleting the wrapped key at completion destroys the email everywhere. Every
 * request gets one, known email or not, so both take the same work.
 */
public final class RequestKeys {

  private final KmsDataKeys kms;
  private final String kmsKeyId;

  public RequestKeys(KmsDataKeys kms, String kmsKeyId) {
    this.kms = kms;
    this.kmsKeyId = kmsKeyId;
  }

  /** A new request's key, in clear for this call and wrapped for the request item. */
  public record NewKey(SecretKey key, byte[] wrapped) {}

  public NewKey generate(String requestId) {
    KmsDataKeys.DataKey made = kms.generate(kmsKeyId, context(requestId));
    return new NewKey(new SecretKeySpec(made.plaintext(), "AES"), made.wrapped());
  }

  public SecretKey unwrap(String requestId, SdkBytes wrapped) {
    return new SecretKeySpec(
        kms.decrypt(kmsKeyId, wrapped.asByteArray(), context(requestId)), "AES");
  }

  /**
   * The visitor ids a request carries, opened: they are sealed one by one under the request's key
   * at {@code (privacy-requests, request#id, visitorId#i)}.
   */
  public java.util.List<String> visitorIds(
      String requestId,
      SdkBytes wrappedKey,
      java.util.List<software.amazon.awssdk.services.dynamodb.model.AttributeValue> sealed) {
    SecretKey key = unwrap(requestId, wrappedKey);
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < sealed.size(); i++) {
      out.add(
          new String(
              FieldSealer.open(
                  key,
                  new FieldAddress("privacy-requests", "request#" + requestId, "visitorId#" + i),
                  sealed.get(i).b().asByteArray()),
              java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Map<String, String> context(String requestId) {
    return Map.of("purpose", "privacy-request", "requestId", requestId);
  }
}
