package dev.custodian.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.idempotency.IdempotencyStore.Conflict;
import dev.custodian.core.idempotency.IdempotencyStore.InProgress;
import dev.custodian.core.idempotency.IdempotencyStore.Replay;
import dev.custodian.core.idempotency.IdempotencyStore.Start;
import dev.custodian.core.idempotency.IdempotencyStore.Started;
import dev.custodian.core.json.Json;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.testing.CoreFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdempotencyStoreIT {

  private final CoreFixture core = new CoreFixture();
  private final String hash =
      IdempotencyStore.payloadHash(Json.MAPPER.createObjectNode().put("a", 1));

  private static String key() {
    return "key-" + UUID.randomUUID();
  }

  @Test
  void payloadHash_ignoresFieldOrder_butNotValues() throws Exception {
    assertThat(
            IdempotencyStore.payloadHash(Json.MAPPER.readTree("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}")))
        .isEqualTo(
            IdempotencyStore.payloadHash(Json.MAPPER.readTree("{\"b\":{\"d\":3,\"c\":2},\"a\":1}")))
        .isNotEqualTo(
            IdempotencyStore.payloadHash(
                Json.MAPPER.readTree("{\"a\":1,\"b\":{\"c\":2,\"d\":4}}")));
  }

  @Test
  void aCompletedKey_replaysItsReference_andConflictsWithAnotherPayload() {
    String key = key();
    Started started = (Started) core.idempotency.begin("orders", key, hash);
    core.idempotency.complete(started, "{\"orderId\":\"o1\"}");

    assertThat(core.idempotency.begin("orders", key, hash))
        .isEqualTo(new Replay("{\"orderId\":\"o1\"}"));
    assertThat(core.idempotency.begin("orders", key, "other-hash")).isInstanceOf(Conflict.class);
    // scopes are separate
    assertThat(core.idempotency.begin("contact", key, hash)).isInstanceOf(Started.class);
  }

  @Test
  void aRunningKey_isInProgress_andAReleasedOneCanStartAgain() {
    String key = key();
    Started first = (Started) core.idempotency.begin("orders", key, hash);
    assertThat(core.idempotency.begin("orders", key, hash)).isInstanceOf(InProgress.class);
    assertThat(core.idempotency.begin("orders", key, "other")).isInstanceOf(Conflict.class);

    core.idempotency.release(first);

    assertThat(core.idempotency.begin("orders", key, hash)).isInstanceOf(Started.class);
  }

  @Test
  void anExpiredInProgressRecord_isTakenOver_andTheOldOwnerCannotComplete() {
    IdempotencyStore quick =
        new IdempotencyStore(
            core.dynamoDb,
            core.idempotencyTable,
            RetentionRegistry.defaults(),
            Duration.ofMillis(1),
            Clock.systemUTC());
    String key = key();
    Started dead = (Started) quick.begin("orders", key, hash);
    sleep(20);
    Started next = (Started) quick.begin("orders", key, hash);

    assertThat(next.owner()).isNotEqualTo(dead.owner());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> quick.complete(dead, "{}"))
        .isInstanceOf(
            software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);
    quick.complete(next, "{\"ok\":true}");
    assertThat(quick.begin("orders", key, hash)).isEqualTo(new Replay("{\"ok\":true}"));
  }

  @Test
  void fiftyConcurrentIdenticalRequests_startOneExecution_everyTime() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      for (int round = 0; round < 10; round++) {
        String key = key();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Start>> results = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    return core.idempotency.begin("orders", key, hash);
                  }));
        }
        go.countDown();
        int started = 0;
        for (Future<Start> result : results) {
          Start start = result.get();
          assertThat(start).isInstanceOfAny(Started.class, InProgress.class, Replay.class);
          started += start instanceof Started ? 1 : 0;
        }
        assertThat(started).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aOneShotClaim_writesTheRecordWithTheWork_andExplainsWhyALaterClaimIsRefused() {
    String key = key();
    core.dynamoDb.transactWriteItems(
        b -> b.transactItems(core.idempotency.claim("orders", key, hash, "{\"orderId\":\"o1\"}")));

    assertThat(core.idempotency.begin("orders", key, hash))
        .isEqualTo(new Replay("{\"orderId\":\"o1\"}"));
    assertThat(refusalOfClaim(key, hash)).contains(new Replay("{\"orderId\":\"o1\"}"));
    assertThat(refusalOfClaim(key, "other-hash")).containsInstanceOf(Conflict.class);

    String running = key();
    core.idempotency.begin("orders", running, hash);
    assertThat(refusalOfClaim(running, hash)).containsInstanceOf(InProgress.class);
  }

  @Test
  void aTransactionCancelledForAnotherReason_isNotBlamedOnAFreeKey() {
    String key = key();
    software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException cancelled =
        cancelledWith(core.idempotency.claim("orders", key, hash, "{}"), failingCheck());

    assertThat(core.idempotency.claimRefused(cancelled, 0, "orders", key, hash)).isEmpty();
    // and the cancelled transaction left the key free
    assertThat(core.idempotency.begin("orders", key, hash)).isInstanceOf(Started.class);
  }

  private java.util.Optional<Start> refusalOfClaim(String key, String payloadHash) {
    return core.idempotency.claimRefused(
        cancelledWith(core.idempotency.claim("orders", key, payloadHash, "{}")),
        0,
        "orders",
        key,
        payloadHash);
  }

  private software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException cancelledWith(
      software.amazon.awssdk.services.dynamodb.model.TransactWriteItem... writes) {
    try {
      core.admin.transactWriteItems(b -> b.transactItems(writes));
    } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
      return e;
    }
    throw new AssertionError("the transaction was expected to be cancelled");
  }

  private software.amazon.awssdk.services.dynamodb.model.TransactWriteItem failingCheck() {
    return software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
        .conditionCheck(
            c ->
                c.tableName(core.idempotencyTable)
                    .key(
                        java.util.Map.of(
                            "pk",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                "absent-" + UUID.randomUUID())))
                    .conditionExpression("attribute_exists(pk)"))
        .build();
  }

  @Test
  void theTableHoldsNoKeyInClear() {
    String key = "visible-key-" + UUID.randomUUID();
    core.idempotency.begin("orders", key, hash);
    assertThat(core.admin.scan(b -> b.tableName(core.idempotencyTable)).items().toString())
        .doesNotContain(key);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
