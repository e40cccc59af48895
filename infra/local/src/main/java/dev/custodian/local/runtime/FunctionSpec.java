package dev.custodian.local.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One function of the template, as the local cloud runs it. */
public record FunctionSpec(
    String logicalId,
    String name,
    String handler,
    Path code,
    int timeoutSeconds,
    int memoryMb,
    Integer reservedConcurrency,
    Map<String, String> environment,
    List<HttpRoute> routes,
    List<QueueSource> queues,
    List<StreamSource> streams) {

  /** An HttpApi event: a method and path template, with the route's authorisation. */
  public record HttpRoute(String method, String path, Auth auth) {
    public String routeKey() {
      return method.equals("ANY") && path.equals("$default") ? "$default" : method + " " + path;
    }
  }

  /** How a route is authorised: none, a JWT authorizer, or SigV4 (IAM). */
  public record Auth(Kind kind, String issuer, List<String> audience, String identityHeader) {
    public enum Kind {
      NONE,
      JWT,
      IAM
    }

    static final Auth NONE = new Auth(Kind.NONE, null, List.of(), null);
    static final Auth IAM = new Auth(Kind.IAM, null, List.of(), "authorization");
  }

  /** A DynamoDB stream event source (records from the start of the stream, in order). */
  public record StreamSource(String streamArn, int batchSize, int maximumRetryAttempts) {}

  /** An SQS event source. */
  public record QueueSource(
      String queueArn, int batchSize, int batchingWindowSeconds, boolean reportsItemFailures) {}
}
