package dev.custodian.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.json.Json;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A crash injected before each AWS call of an erasure in turn (the Nth call fails, for every N),
 * then a redelivery after the lease has run out: the erasure always completes, with the same
 * report, nothing left and exactly one completion in the audit trail.
 */
class ErasureCrashIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Map<String, String> env = cloud.environmentOf("ErasureWorkerFunction");

  /** The tests' own view (seeding, checking), outside the worker's role. */
  private final Map<String, String> accountEnv =
      cloud.accountEnvironmentOf("ErasureWorkerFunction");

  private final ErasureTables tables = ErasureTables.fromEnvironment(env);

  /** Fails the Nth SDK call it sees (and every call after it: the process "died"). */
  private static final class CrashAt implements ExecutionInterceptor {
    private final int n;
    private final AtomicInteger calls = new AtomicInteger();

    CrashAt(int n) {
      this.n = n;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (calls.incrementAndGet() >= n) {
        throw SdkClientException.create("injected crash before call " + n);
      }
    }
  }

  private Erasure erasure(Clock clock, ExecutionInterceptor... faults) {
    return new ErasureFixture(cloud).erasure(clock, faults);
  }

  private record Seeded(String requestId, String subjectId, List<String> orderKeys) {}

  /** A subject with two orders and a contact message, and its verified erasure request. */
  private Seeded seed(PrivacyCore core) {
    String subjectId =
        core.directory()
            .findOrCreateByEmail("crash." + UUID.randomUUID() + "@example.com")
            .subjectId();
    var dynamo = cloud.emulator().dynamoDb();
    List<String> orderKeys = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String pk = "order#o_" + UUID.randomUUID().toString().replace("-", "");
      orderKeys.add(pk);
      for (String sk : List.of("transaction", "contact")) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS(sk));
        item.put("subjectId", AttributeValue.fromS(subjectId));
        item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
        item.put("paymentReference", AttributeValue.fromS("sealed-elsewhere"));
        dynamo.putItem(b -> b.tableName(tables.orders()).item(item));
      }
    }
    dynamo.putItem(
        b ->
            b.tableName(tables.contact())
                .item(
                    Map.of(
                        "pk",
                            AttributeValue.fromS(
                                "ticket#t_" + UUID.randomUUID().toString().replace("-", "")),
                        "subjectId", AttributeValue.fromS(subjectId))));
    String requestId = "r_" + UUID.randomUUID().toString().replace("-", "");
    dynamo.putItem(
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
    return new Seeded(requestId, subjectId, orderKeys);
  }

  @Test
  void aCrashBeforeAnyCall_thenARedelivery_completesTheErasureOnce() {
    Clock now = Clock.systemUTC();
    Clock afterTheLease = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6));
    PrivacyCore observer =
        new PrivacyCore(
            CoreConfig.fromEnvironment(env),
            AwsClients.fromEnvironment(accountEnv),
            Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC));
    int crashes = 0;
    for (int n = 1; n < 200; n++) {
      Seeded seeded = seed(observer);
      Erasure crashing = erasure(now, new CrashAt(n));
      boolean crashed;
      try {
        crashing.erase(seeded.requestId(), seeded.subjectId());
        crashed = false;
      } catch (RuntimeException e) {
        crashed = true;
        crashes++;
      }
      if (crashed) {
        erasure(afterTheLease).erase(seeded.requestId(), seeded.subjectId());
      }
      verifyErased(seeded, observer, n);
      if (!crashed) {
        System.out.printf(
            "erasure crash test: a crash before each of %d calls, all resumed%n", crashes);
        // at least: the lease, the queries, the plan, the batch writes, the shredding, the
        // notification and the completion, each crashed before once
        assertThat(crashes).isGreaterThanOrEqualTo(9);
        return;
      }
    }
    throw new AssertionError("the erasure never ran without a crash");
  }

  @Test
  void concurrentDeliveries_doNotBothRun_andCompleteOnce() throws Exception {
    PrivacyCore observer =
        new PrivacyCore(
            CoreConfig.fromEnvironment(accountEnv),
            AwsClients.fromEnvironment(accountEnv),
            Clock.systemUTC());
    Seeded seeded = seed(observer);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Erasure delivery = erasure(Clock.systemUTC());
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    delivery.erase(seeded.requestId(), seeded.subjectId());
                    return "ran";
                  } catch (Erasure.Busy busy) {
                    return "busy";
                  }
                }));
      }
      go.countDown();
      List<String> outcomes = new java.util.ArrayList<>();
      for (var result : results) {
        outcomes.add(result.get());
      }
      assertThat(outcomes).contains("ran");
    } finally {
      pool.shutdownNow();
    }
    verifyErased(seeded, observer, 0);
  }

  @Test
  void erasingASubjectWithAThousandItems_countsItsCalls() {
    PrivacyCore observer =
        new PrivacyCore(
            CoreConfig.fromEnvironment(accountEnv),
            AwsClients.fromEnvironment(accountEnv),
            Clock.systemUTC());
    Seeded seeded = seed(observer);
    var dynamo = cloud.emulator().dynamoDb();
    List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
    for (int i = 0; i < 499; i++) {
      String pk = "order#o_" + UUID.randomUUID().toString().replace("-", "");
      for (String sk : List.of("transaction", "contact")) {
        items.add(
            Map.of(
                "pk",
                AttributeValue.fromS(pk),
                "sk",
                AttributeValue.fromS(sk),
                "subjectId",
                AttributeValue.fromS(seeded.subjectId()),
                "createdAt",
                AttributeValue.fromS(Instant.now().toString())));
      }
    }
    new dev.custodian.core.dynamo.BatchWriter(dynamo).putAll(tables.orders(), items);
    dev.custodian.core.testing.CountCalls counter = new dev.custodian.core.testing.CountCalls();
    long started = System.nanoTime();
    erasure(Clock.systemUTC(), counter).erase(seeded.requestId(), seeded.subjectId());
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "erasure of a subject with 1,003 items (501 orders x 2, 1 message): %d AWS calls (%s) in %.1f s%n",
        counter.total(), counter.byOperation(), seconds);
    Map<String, AttributeValue> request =
        dynamo
            .getItem(
                b ->
                    b.tableName(tables.requests())
                        .key(Map.of("pk", AttributeValue.fromS("request#" + seeded.requestId())))
                        .consistentRead(true))
            .item();
    assertThat(request.get("status").s()).isEqualTo("COMPLETED");
    assertThat(request.get("result").s()).contains("\"ORDER_CONTACT\":501");
  }

  private void verifyErased(Seeded seeded, PrivacyCore observer, int n) {
    var dynamo = cloud.emulator().dynamoDb();
    Map<String, AttributeValue> request =
        dynamo
            .getItem(
                b ->
                    b.tableName(tables.requests())
                        .key(Map.of("pk", AttributeValue.fromS("request#" + seeded.requestId())))
                        .consistentRead(true))
            .item();
    assertThat(request.get("status").s())
        .as("status after crash at call %d", n)
        .isEqualTo("COMPLETED");
    var report = Json.MAPPER.valueToTree(parse(request.get("result").s()));
    assertThat(report.path("deleted").path("ORDER_CONTACT").asInt())
        .as("crash at %d", n)
        .isEqualTo(2);
    assertThat(report.path("deleted").path("CONTACT_MESSAGE").asInt())
        .as("crash at %d", n)
        .isEqualTo(1);
    assertThat(report.path("restricted").path("TRANSACTION").path("count").asInt())
        .as("crash at %d", n)
        .isEqualTo(2);
    var left =
        dynamo
            .query(
                q ->
                    q.tableName(tables.orders())
                        .indexName("bySubject")
                        .keyConditionExpression("subjectId = :s")
                        .expressionAttributeValues(
                            Map.of(":s", AttributeValue.fromS(seeded.subjectId()))))
            .items();
    assertThat(left).as("crash at %d", n).isEmpty();
    for (String pk : seeded.orderKeys()) {
      assertThat(
              dynamo
                  .query(
                      q ->
                          q.tableName(tables.orders())
                              .keyConditionExpression("pk = :pk")
                              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                              .consistentRead(true))
                  .items())
          .as("crash at %d: only the transaction record, restricted", n)
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.get("sk").s()).isEqualTo("transaction");
                assertThat(t.get("restricted").bool()).isTrue();
                assertThat(t).doesNotContainKeys("paymentReference", "subjectId");
              });
    }
    assertThat(
            dynamo
                .query(
                    q ->
                        q.tableName(tables.contact())
                            .indexName("bySubject")
                            .keyConditionExpression("subjectId = :s")
                            .expressionAttributeValues(
                                Map.of(":s", AttributeValue.fromS(seeded.subjectId()))))
                .items())
        .isEmpty();
    PrivacyCore freshContainer =
        new PrivacyCore(
            CoreConfig.fromEnvironment(accountEnv),
            AwsClients.fromEnvironment(accountEnv),
            Clock.systemUTC());
    assertThatThrownBy(() -> freshContainer.keyring().keyOf(seeded.subjectId()))
        .isInstanceOf(SubjectErasedException.class);
    assertThat(observer.audit().forRequest(seeded.requestId()))
        .as("completions after crash at %d", n)
        .filteredOn(e -> e.action().equals("ERASE"))
        .hasSize(1);
  }

  private static Object parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
