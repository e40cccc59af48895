package dev.custodian.local.runtime;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The functions the local cloud serves, each in its {@link FunctionHost}, by logical id: what the
 * gateway and the pollers invoke, and what tests invoke directly.
 */
public final class ServedFunctions implements AutoCloseable {

  private final Map<String, FunctionHost> hosts = new LinkedHashMap<>();

  /**
   * Hosts each function that {@code serve} accepts, with its Lambda ARN in {@code region} and at
   * most {@code maxContainers} containers at once.
   */
  public ServedFunctions(
      List<FunctionSpec> functions,
      Predicate<FunctionSpec> serve,
      String region,
      String account,
      int maxContainers) {
    for (FunctionSpec function : functions) {
      if (serve.test(function)) {
        String arn = "arn:aws:lambda:" + region + ":" + account + ":function:" + function.name();
        hosts.put(function.logicalId(), new FunctionHost(function, arn, maxContainers));
      }
    }
  }

  /** The hosts, in template order. */
  public Collection<FunctionHost> all() {
    return hosts.values();
  }

  /** The host of a function, or null when it is not served. */
  public FunctionHost find(String logicalId) {
    return hosts.get(logicalId);
  }

  /** The last invocation's report of a served function (null before its first). */
  public FunctionHost.Report lastReport(String logicalId) {
    return served(logicalId).lastReport();
  }

  /** How many containers each function has started so far, by logical id. */
  public Map<String, Integer> coldStarts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    hosts.forEach((id, host) -> out.put(id, host.coldStarts()));
    return out;
  }

  /**
   * Invokes a function directly, as Lambda's Invoke API would (no gateway): the event and the
   * answer are JSON. A function error is an {@link IllegalStateException}.
   */
  public String invoke(String logicalId, String eventJson) {
    try {
      return served(logicalId).invokeSync(eventJson, UUID.randomUUID().toString());
    } catch (FunctionHost.InvocationFailed e) {
      throw new IllegalStateException(logicalId + " failed: " + e.getMessage(), e);
    }
  }

  /** Retires a function's warm containers: its next invocation is a cold start. */
  public void retireContainers(String logicalId) {
    served(logicalId).discardIdle();
  }

  private FunctionHost served(String logicalId) {
    FunctionHost host = hosts.get(logicalId);
    if (host == null) {
      throw new IllegalArgumentException("No function served as " + logicalId);
    }
    return host;
  }

  @Override
  public void close() {
    hosts.values().forEach(FunctionHost::close);
  }
}
