package dev.custodian.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.testing.CoreFixture;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

class AuditTrailIT {

  private final CoreFixture core = new CoreFixture();

  private static AuditRecord read(String subject, String request) {
    return new AuditRecord(
        Actor.operator("arn:aws:iam::123456789012:user/operator"),
        Action.READ,
        DataClass.CONTACT_MESSAGE,
        "t_" + UUID.randomUUID(),
        subject,
        Purpose.SUPPORT,
        Outcome.SUCCESS,
        request);
  }

  @Test
  void forSubjectAndForRequest_returnExactlyTheirRecords_oldestFirst() {
    String subject = "s_" + UUID.randomUUID();
    String decoy = "s_" + UUID.randomUUID();
    String request = "req-" + UUID.randomUUID();
    core.audit.record(read(subject, request));
    core.audit.record(read(subject, "other-" + UUID.randomUUID()));
    core.audit.record(read(decoy, request));

    assertThat(core.auditReader.forSubject(subject))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.subjectId()).isEqualTo(subject))
        .isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
    assertThat(core.auditReader.forRequest(request))
        .extracting(AuditTrail.Entry::subjectId)
        .containsExactlyInAnyOrder(subject, decoy);
  }

  @Test
  void recordsAreNeverOverwritten() {
    String subject = "s_" + UUID.randomUUID();
    core.audit.record(read(subject, "r"));
    Map<String, AttributeValue> existing =
        core.admin
            .query(
                q ->
                    q.tableName(core.auditTable)
                        .indexName("bySubject")
                        .keyConditionExpression("subjectId = :s")
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(subject))))
            .items()
            .get(0);
    // The same guarded put the trail makes, aimed at an existing key, is refused.
    assertThatThrownBy(
            () ->
                core.dynamoDb.putItem(
                    b ->
                        b.tableName(core.auditTable)
                            .item(
                                Map.of(
                                    "pk",
                                    existing.get("pk"),
                                    "action",
                                    AttributeValue.fromS("DELETE")))
                            .conditionExpression("attribute_not_exists(pk)")))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(core.auditReader.forSubject(subject))
        .singleElement()
        .satisfies(e -> assertThat(e.action()).isEqualTo("READ"));
  }

  @Test
  void expiredRecords_areInvisible() {
    String subject = "s_" + UUID.randomUUID();
    core.audit.record(read(subject, "r"));
    Map<String, AttributeValue> item =
        core.admin
            .query(
                q ->
                    q.tableName(core.auditTable)
                        .indexName("bySubject")
                        .keyConditionExpression("subjectId = :s")
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(subject))))
            .items()
            .get(0);
    core.admin.updateItem(
        b ->
            b.tableName(core.auditTable)
                .key(Map.of("pk", item.get("pk")))
                .updateExpression("SET expiresAt = :past")
                .expressionAttributeValues(
                    Map.of(
                        ":past",
                        AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 1)))));

    assertThat(core.auditReader.forSubject(subject)).isEmpty();
  }

  @Test
  void theTrailHoldsNoPersonalData_andRefusesEmailsAsIds() {
    assertThatThrownBy(() -> Actor.customer("jane@example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> read("jane@example.com", "r"))
        .isInstanceOf(IllegalArgumentException.class);
    core.audit.record(read("s_" + UUID.randomUUID(), "r"));

    assertThat(core.admin.scan(b -> b.tableName(core.auditTable)).items().toString())
        .doesNotContain("@");
  }

  @Test
  void asTransactPut_writesTheRecordWithTheData() {
    String subject = "s_" + UUID.randomUUID();
    core.dynamoDb.transactWriteItems(
        b -> b.transactItems(core.audit.asTransactPut(read(subject, "tx"))));
    assertThat(core.auditReader.forSubject(subject)).hasSize(1);
  }
}
