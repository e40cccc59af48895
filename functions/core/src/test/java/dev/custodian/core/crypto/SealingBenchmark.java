package dev.custodian.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-field cost of sealing and opening with a warm key (no KMS): prints figures, asserts nothing.
 * After {@code mvn -pl functions/core test-compile}: {@code java -cp
 * functions/core/target/classes:functions/core/target/test-classes
 * dev.custodian.core.crypto.SealingBenchmark}.
 */
public final class SealingBenchmark {

  private SealingBenchmark() {}

  public static void main(String[] args) {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    SecretKey key = new SecretKeySpec(raw, "AES");
    FieldAddress at = new FieldAddress("custodian-orders", "order#01HXYZ", "shippingAddress");
    byte[] value =
        "{\"name\":\"Jane Doe\",\"line1\":\"1 Example Street\",\"city\":\"Springfield\"}"
            .getBytes(StandardCharsets.UTF_8);
    int rounds = 7;
    int perRound = 200_000;
    long[] seal = new long[rounds];
    long[] open = new long[rounds];
    byte[] sealed = FieldSealer.seal(key, at, value);
    long sink = 0;
    for (int warm = 0; warm < 100_000; warm++) {
      sink += FieldSealer.open(key, at, FieldSealer.seal(key, at, value)).length;
    }
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        sealed = FieldSealer.seal(key, at, value);
      }
      seal[r] = (System.nanoTime() - start) / perRound;
      start = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        sink += FieldSealer.open(key, at, sealed).length;
      }
      open[r] = (System.nanoTime() - start) / perRound;
    }
    Arrays.sort(seal);
    Arrays.sort(open);
    System.out.printf(
        "seal %d-byte field: median %d ns (min %d, max %d); open: median %d ns (min %d, max %d)"
            + " [%d rounds x %d, sink %d]%n",
        value.length,
        seal[rounds / 2],
        seal[0],
        seal[rounds - 1],
        open[rounds / 2],
        open[0],
        open[rounds - 1],
        rounds,
        perRound,
        sink % 10);
  }
}
