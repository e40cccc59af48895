package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIntakeTest {

  @Test
  void aCode_isAlwaysSixDigits_asTheEmailAndTheVerificationExpect() {
    for (int code : new int[] {0, 7, 42, 999, 12_345, 100_000, 999_999}) {
      assertThat(RequestIntake.sixDigits(code))
          .as("code %d", code)
          .hasSize(6)
          .matches("[0-9]{6}")
          .isEqualTo(String.format("%06d", code));
    }
  }
}
