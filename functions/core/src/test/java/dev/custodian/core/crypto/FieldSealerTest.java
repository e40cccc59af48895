package dev.custodian.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class FieldSealerTest {

  private final SecretKey key = randomKey();
  private final FieldAddress email = new FieldAddress("orders", "order#1", "email");
  private final byte[] plaintext = "jane@example.com".getBytes(StandardCharsets.UTF_8);

  private static SecretKey randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new SecretKeySpec(bytes, "AES");
  }

  @Test
  void open_returnsWhatWasSealed_atTheSameAddress() {
    byte[] sealed = FieldSealer.seal(key, email, plaintext);

    assertThat(FieldSealer.open(key, email, sealed)).isEqualTo(plaintext);
    assertThat(sealed[0]).isEqualTo(FieldSealer.VERSION);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("jane");
  }

  @Test
  void seal_usesAFreshIvEachTime() {
    assertThat(FieldSealer.seal(key, email, plaintext))
        .isNotEqualTo(FieldSealer.seal(key, email, plaintext));
  }

  @Test
  void open_fails_whenTheValueIsMovedToAnotherItemOrAttributeOrTable() {
    byte[] sealed = FieldSealer.seal(key, email, plaintext);

    for (FieldAddress elsewhere :
        new FieldAddress[] {
          new FieldAddress("orders", "order#2", "email"),
          new FieldAddress("orders", "order#1", "name"),
          new FieldAddress("contact", "order#1", "email"),
          // the length prefixes keep "a|bc" and "ab|c" apart
          new FieldAddress("orders", "order#1e", "mail")
        }) {
      assertThatThrownBy(() -> FieldSealer.open(key, elsewhere, sealed))
          .isInstanceOf(FieldSealer.SealBrokenException.class);
    }
  }

  @Test
  void open_fails_underAnotherKey_orWhenTamperedWith_orOfUnknownVersion() {
    byte[] sealed = FieldSealer.seal(key, email, plaintext);
    assertThatThrownBy(() -> FieldSealer.open(randomKey(), email, sealed))
        .isInstanceOf(FieldSealer.SealBrokenException.class);

    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> FieldSealer.open(key, email, tampered))
        .isInstanceOf(FieldSealer.SealBrokenException.class);

    byte[] future = sealed.clone();
    future[0] = 2;
    assertThatThrownBy(() -> FieldSealer.open(key, email, future))
        .isInstanceOf(FieldSealer.SealBrokenException.class)
        .hasMessageContaining("version");

    assertThatThrownBy(() -> FieldSealer.open(key, email, new byte[5]))
        .isInstanceOf(FieldSealer.SealBrokenException.class);
  }
}
