/**
 * The benchmark harness (never deployed): {@link dev.custodian.bench.Bench} runs the measurements
 * in order on local clouds of its own — one class per measurement ({@code ColdStarts}, {@code
 * WarmCosts}, {@code OwnTime}, {@code AnalyticsIngest}, {@code KmsCalls}, {@code
 * OrderTransactionFloor}, {@code ErasureCost}) — and {@code Report} turns their figures, each set
 * against a baseline taken in the same run, into the console table and the generated block of
 * docs/benchmarks.md, which says how each figure is taken.
 */
package dev.custodian.bench;
