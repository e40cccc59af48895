package dev.custodian.core.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals one field with AES-256-GCM under a subject's data key. Format: a version byte, a fresh
 * random 96-bit IV, then the ciphertext with its 128-bit tag; the associated data is the version
 * and the field's {@link FieldAddress}. The version byte lets the scheme change later without
 * guessing.
 */
public final class FieldSealer {

  static final byte VERSION = 1;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  // SecureRandom reads the OS entropy source, so it stays unique across SnapStart restores.
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One cipher per thread, initialised afresh (key and IV) for every value: looking the algorithm
   * up in the providers for every field was a tenth of sealing's cost.
   */
  private static final ThreadLocal<Cipher> CIPHERS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES-GCM is unavailable", e);
            }
          });

  private FieldSealer() {}

  public static byte[] seal(SecretKey key, FieldAddress address, byte[] plaintext) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(address.associatedData(VERSION));
      // version, IV, then the ciphertext and its tag, written in place (GCM's length is exact)
      byte[] out = new byte[1 + IV_BYTES + plaintext.length + TAG_BITS / 8];
      out[0] = VERSION;
      System.arraycopy(iv, 0, out, 1, IV_BYTES);
      cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + IV_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /**
   * Opens a sealed value.
   *
   * @throws SealBrokenException when the value was altered, moved from another item or attribute,
   *     sealed under another key, or is of an unknown version
   */
  public static byte[] open(SecretKey key, FieldAddress address, byte[] sealed) {
    if (sealed == null || sealed.length < 1 + IV_BYTES + TAG_BITS / 8) {
      throw new SealBrokenException("sealed value is too short");
    }
    if (sealed[0] != VERSION) {
      throw new SealBrokenException("unknown seal version " + sealed[0]);
    }
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + IV_BYTES)));
      cipher.updateAAD(address.associatedData(sealed[0]));
      return cipher.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
    } catch (AEADBadTagException e) {
      throw new SealBrokenException("sealed value does not open at this address with this key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** A sealed value that cannot be opened here: tampered, moved, or under another key. */
  public static final class SealBrokenException extends RuntimeException {
    SealBrokenException(String message) {
      super(message, null, false, false);
    }
  }
}
