package dev.custodian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatiosTest {

  @Test
  void pairedRatios_setEachRoundAgainstItsOwnBaseline() {
    assertThat(Ratios.paired(new double[] {2, 9}, new double[] {1, 3})).containsExactly(2.0, 3.0);
  }

  @Test
  void blockRatios_compareTheMediansOfFiveConsecutiveBlocks() {
    double[] measured = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] baseline = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    assertThat(Ratios.ofBlockMedians(measured, baseline)).containsExactly(1.5, 3.5, 5.5, 7.5, 9.5);
    assertThat(Ratios.ofBlockMedians(new double[] {4, 6}, new double[] {2, 2}))
        .containsExactly(2.0, 3.0);
  }
}
