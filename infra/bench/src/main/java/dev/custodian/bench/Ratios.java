package dev.custodian.bench;

import java.util.Arrays;

/**
 * The ratios behind a row's Ratio and Spread columns: each figure set against the baseline taken
 * beside it in the same run, so a slower or busier machine moves both alike (docs/benchmarks.md).
 */
final class Ratios {

  private Ratios() {}

  /** Each measured value over the baseline value taken in the same round. */
  static double[] paired(double[] measured, double[] baseline) {
    double[] out = new double[measured.length];
    for (int i = 0; i < measured.length; i++) {
      out[i] = measured[i] / baseline[i];
    }
    return out;
  }

  /** Ratios of medians over five consecutive blocks of the interleaved samples. */
  static double[] ofBlockMedians(double[] measured, double[] baseline) {
    int blocks = Math.min(5, measured.length);
    double[] out = new double[blocks];
    int size = measured.length / blocks;
    for (int b = 0; b < blocks; b++) {
      double[] t = Arrays.copyOfRange(measured, b * size, (b + 1) * size);
      double[] u = Arrays.copyOfRange(baseline, b * size, (b + 1) * size);
      out[b] = Stats.of(t).median() / Stats.of(u).median();
    }
    return out;
  }
}
