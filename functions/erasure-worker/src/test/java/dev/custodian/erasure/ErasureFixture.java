package dev.custodian.erasure;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.analytics.VisitorPseudonyms;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.notify.Notifications;
import dev.custodian.local.LocalCloud;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
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
    String requestId = "r_" + UUID.randomUUID().toString().replace("-", "");
    cloud
        .emulator()
        .dynamoDb()
        .putItem(
            b ->
                b.tableName(tables.requests())
                    .item(
                        Map.of(
                            "pk", AttributeValue.fromS("request#" + requestId),
                            "requestId", AttributeValue.fromS(requestId),
                            "type", AttributeValue.fromS("ERASURE"),
                            "status", AttributeValue.fromS("IN_PROGRESS"),
                            "subjectId", AttributeValue.fromS(subjectId),
                            "emailIndex", AttributeValue.fromS("index-" + requestId),
                            "history", AttributeValue.fromL(List.of()))));
    return requestId;
  }
}
