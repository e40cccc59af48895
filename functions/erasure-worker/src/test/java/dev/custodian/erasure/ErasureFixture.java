package dev.custodian.erasure;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.analytics.VisitorPseudonyms;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.notify.Notifications;
import dev.custodian.local.LocalCloud;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The erasure as the worker wires it, against the local cloud, and verified requests for it. */
final class ErasureFixture {

  private final LocalCloud cloud;
  private final Map<String, String> env;
  private final ErasureTables tables;

  ErasureFixture(LocalCloud cloud) {
    this.cloud = cloud;
    this.env = cloud.environmentOf("ErasureWorkerFunction");
    this.tables = ErasureTables.fromEnvironment(env);
  }

  Map<String, String> env() {
    return env;
  }

  /** The tests' own view of the data (to seed and to check), outside the worker's role. */
  PrivacyCore observer() {
    Map<String, String> account = cloud.accountEnvironmentOf("ErasureWorkerFunction");
    return new PrivacyCore(
        CoreConfig.fromEnvironment(account),
        AwsClients.fromEnvironment(account),
        Clock.systemUTC());
  }

  ErasureTables tables() {
    return tables;
  }

  /** The worker's erasure, with its own SDK clients (and these interceptors) and clock. */
  Erasure erasure(Clock clock, ExecutionInterceptor... interceptors) {
    AwsClients clients = AwsClients.fromEnvironment(env).withInterceptors(interceptors);
    CoreConfig config = CoreConfig.fromEnvironment(env);
    PrivacyCore core = new PrivacyCore(config, clients, clock);
    return new Erasure(
        core,
        tables,
        new RequestKeys(core.kms(), config.dataKeyId()),
        VisitorPseudonyms.index(
            core.kms(), core.dynamoDb(), config.subjectsTable(), config.dataKeyId(), clock),
        new Notifications(clients.build(SqsClient.builder()), env.get("NOTIFICATION_QUEUE_URL")),
        "erasure-worker-test");
  }

  /** An item of the requests table as stored (read consistently), empty when absent. */
  Map<String, AttributeValue> requestsItem(Map<String, AttributeValue> key) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(b -> b.tableName(tables.requests()).key(key).consistentRead(true))
        .item();
  }

  /** A verified erasure request of the subject, as the privacy function leaves it: its id. */
  String verifiedErasure(String subjectId) {
    return seedRequest(
        cloud.emulator().dynamoDb(),
        tables.requests(),
        subjectId,
        "ERASURE",
        "IN_PROGRESS",
        requestId -> Map.of("emailIndex", AttributeValue.fromS("index-" + requestId)));
  }

  /**
   * A request of the subject as its item stands in the requests table, written raw (the layout is
   * data the worker reads), with {@code extra} attributes made from its id: the id.
   */
  static String seedRequest(
      DynamoDbClient dynamoDb,
      String table,
      String subjectId,
      String type,
      String status,
      Function<String, Map<String, AttributeValue>> extra) {
    String requestId = "r_" + UUID.randomUUID().toString().replace("-", "");
    Map<String, AttributeValue> item = new HashMap<>(extra.apply(requestId));
    item.put("pk", AttributeValue.fromS("request#" + requestId));
    item.put("requestId", AttributeValue.fromS(requestId));
    item.put("type", AttributeValue.fromS(type));
    item.put("status", AttributeValue.fromS(status));
    item.put("subjectId", AttributeValue.fromS(subjectId));
    item.put("receivedAt", AttributeValue.fromS(Instant.now().toString()));
    item.put("history", AttributeValue.fromL(List.of()));
    dynamoDb.putItem(b -> b.tableName(table).item(item));
    return requestId;
  }
}
