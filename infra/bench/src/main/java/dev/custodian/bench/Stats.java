package dev.custodian.bench;

import java.util.Arrays;

/** Median, p99 and the min–max spread of a sample. */
record Stats(double median, double p99, double min, double max, int count) {

  static Stats of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    double p99 = sorted[Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1)];
    return new Stats(median, p99, sorted[0], sorted[n - 1], n);
  }

  String spread(String format) {
    return String.format(format, min) + "–" + String.format(format, max);
  }
}
