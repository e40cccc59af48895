package dev.custodian.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The machine a run took its figures on, for the report's header: the figures are ratios to
 * baselines taken on the same machine, but their spread depends on it.
 */
final class Machine {

  private Machine() {}

  /** Cores, memory, JVM and operating system, e.g. {@code 2 cores, 24 GiB memory, OpenJDK ...}. */
  static String describe() {
    long memory =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    return String.format(
        "%d cores, %.0f GiB memory, %s %s (%s)",
        Runtime.getRuntime().availableProcessors(),
        memory / (1024.0 * 1024 * 1024),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }
}
