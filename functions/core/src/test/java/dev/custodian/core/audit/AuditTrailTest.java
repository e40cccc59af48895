package dev.custodian.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditTrailTest {

  @Test
  void theKeysTime_isTheMillisZeroPaddedTo13Digits_soKeysSortByTime() {
    for (long millis : new long[] {0, 7, 1_795_546_800_123L, 9_999_999_999_999L}) {
      assertThat(AuditTrail.paddedMillis(Instant.ofEpochMilli(millis)))
          .isEqualTo(String.format("%013d", millis));
    }
    assertThat(AuditTrail.paddedMillis(Instant.ofEpochMilli(999)))
        .isLessThan(AuditTrail.paddedMillis(Instant.ofEpochMilli(1_000)));
  }
}
