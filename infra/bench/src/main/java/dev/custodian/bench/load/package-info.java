/**
 * The load simulation and the capacity model it feeds: what each shop operation writes and reads
 * per table and partition key, recorded at the emulator proxy, and what that means for capacity
 * (docs/capacity.md).
 */
package dev.custodian.bench.load;
