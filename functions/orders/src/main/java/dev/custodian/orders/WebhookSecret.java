package dev.custodian.orders;

import dev.custodian.core.crypto.KmsDataKeys;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The payment provider's signing secret. The template holds it only encrypted with the data key
 * under {@code purpose=payment-webhook}, a context no other role may decrypt; it is opened once per
 * container, at the first event, and kept in memory only.
 */
final class WebhookSecret {

  static final Map<String, String> CONTEXT = Map.of("purpose", "payment-webhook");

  private final KmsDataKeys kms;
  private final String keyId;
  private final String ciphertext;
  private volatile byte[] secret;

  WebhookSecret(KmsDataKeys kms, String keyId, String ciphertext) {
    this.kms = kms;
    this.keyId = keyId;
    this.ciphertext = ciphertext == null ? "" : ciphertext.trim();
  }

  /** The secret; empty while the stack has none configured. */
  Optional<byte[]> value() {
    if (ciphertext.isEmpty()) {
      return Optional.empty();
    }
    byte[] opened = secret;
    if (opened == null) {
      opened = kms.decrypt(keyId, Base64.getDecoder().decode(ciphertext), CONTEXT);
      secret = opened;
    }
    return Optional.of(opened);
  }
}
