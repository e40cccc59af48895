/**
 * What runs inside a cold-started JVM beside a function jar: the probe that invokes the handler
 * once and reports, and the minimal baseline handler every function's cold start is set against
 * (docs/benchmarks.md, "Cold start"). Public, as the fresh JVM loads them by name.
 */
package dev.custodian.bench.cold;
