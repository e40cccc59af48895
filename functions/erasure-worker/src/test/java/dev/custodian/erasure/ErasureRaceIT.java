package dev.custodian.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.json.Json;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * What is written for a subject while their erasure runs — after its first look, before the key is
 * shredded — is erased too (docs/privacy.md#erasure): an order placed meanwhile loses its contact
 * item and its transaction record is restricted, an export published meanwhile goes, and the report
 * counts them.
 */
class ErasureRaceIT {

  private final LocalCloud cloud = SharedLocalCloud.get();

  @Test
  void anOrderAndAnExportWrittenJustBeforeTheShred_areErasedAndCounted() throws Exception {
    ErasureFixture fixture = new ErasureFixture(cloud);
    ErasureTables tables = fixture.tables();
    PrivacyCore observer = fixture.observer();
    DynamoDbClient raw = cloud.emulator().dynamoDb();
    String subjectId =
        observer
            .directory()
            .findOrCreateByEmail("race." + UUID.randomUUID() + "@example.com")
            .subjectId();
    String access = "r_" + UUID.randomUUID().toString().replace("-", "");
    raw.putItem(
        b ->
            b.tableName(tables.requests())
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS("request#" + access),
                        "requestId", AttributeValue.fromS(access),
                        "type", AttributeValue.fromS("ACCESS"),
                        "status", AttributeValue.fromS("COMPLETED"),
                        "subjectId", AttributeValue.fromS(subjectId),
                        "receivedAt", AttributeValue.fromS(Instant.now().toString()))));
    String erasure = fixture.verifiedErasure(subjectId);
    String orderPk = "order#o_" + UUID.randomUUID().toString().replace("-", "");
    String exportPk = "export#" + access;
    AtomicBoolean written = new AtomicBoolean();
    // The writers' transactions commit while the key exists: the last moment is the shred's read.
    ExecutionInterceptor writeBeforeTheShred =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetItemRequest get
                && get.key()
                    .getOrDefault("pk", AttributeValue.fromS(""))
                    .s()
                    .equals(SubjectKeyring.itemKey(subjectId))
                && written.compareAndSet(false, true)) {
              writeStragglers(raw, tables, subjectId, orderPk, exportPk);
            }
          }
        };

    fixture.erasure(Clock.systemUTC(), writeBeforeTheShred).erase(erasure, subjectId);

    assertThat(written).isTrue();
    assertThat(item(raw, tables.orders(), orderPk, "contact")).isEmpty();
    Map<String, AttributeValue> transaction = item(raw, tables.orders(), orderPk, "transaction");
    assertThat(transaction)
        .containsKey("amount")
        .doesNotContainKeys("subjectId", "paymentReference");
    assertThat(
            raw.getItem(
                    b ->
                        b.tableName(tables.exports())
                            .key(Map.of("pk", AttributeValue.fromS(exportPk)))
                            .consistentRead(true))
                .item())
        .isEmpty();
    JsonNode report =
        Json.MAPPER.readTree(
            fixture
                .requestsItem(Map.of("pk", AttributeValue.fromS("request#" + erasure)))
                .get("result")
                .s());
    assertThat(report.path("deleted").path("ORDER_CONTACT").asInt()).isEqualTo(1);
    assertThat(report.path("deleted").path("EXPORT").asInt()).isEqualTo(1);
    assertThat(report.path("restricted").path("TRANSACTION").path("count").asInt()).isEqualTo(1);
  }

  /** An order as OrderPlacement leaves it, and an export as the export worker publishes it. */
  private static void writeStragglers(
      DynamoDbClient raw, ErasureTables tables, String subjectId, String orderPk, String exportPk) {
    String now = Instant.now().toString();
    AttributeValue sealed =
        AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromUtf8String("sealed"));
    raw.putItem(
        b ->
            b.tableName(tables.orders())
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS(orderPk),
                        "sk", AttributeValue.fromS("contact"),
                        "subjectId", AttributeValue.fromS(subjectId),
                        "email", sealed,
                        "createdAt", AttributeValue.fromS(now))));
    raw.putItem(
        b ->
            b.tableName(tables.orders())
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS(orderPk),
                        "sk", AttributeValue.fromS("transaction"),
                        "subjectId", AttributeValue.fromS(subjectId),
                        "paymentReference", sealed,
                        "amount", AttributeValue.fromN("1999"),
                        "createdAt", AttributeValue.fromS(now))));
    raw.putItem(
        b ->
            b.tableName(tables.exports())
                .item(
                    Map.of(
                        "pk", AttributeValue.fromS(exportPk),
                        "subjectId", AttributeValue.fromS(subjectId),
                        "generation", AttributeValue.fromS("g1"),
                        "document", sealed)));
  }

  private static Map<String, AttributeValue> item(
      DynamoDbClient raw, String table, String pk, String sk) {
    return raw.getItem(
            b ->
                b.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))
                    .consistentRead(true))
        .item();
  }
}
