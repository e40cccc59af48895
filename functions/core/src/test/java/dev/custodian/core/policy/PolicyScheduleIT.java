package dev.custodian.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.testing.CoreFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The stamp's read of the published versions: names and dates only, every version however many
 * pages their texts fill.
 */
class PolicyScheduleIT {

  private final CoreFixture core = new CoreFixture();
  private final DynamoDbClient admin = core.admin;

  @Test
  void theSchedule_readsEveryVersionAcrossPages() {
    String table = "policy-schedule-" + UUID.randomUUID();
    admin.createTable(
        t ->
            t.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S)));
    // long texts: the scan's 1 MB page ends before the last version
    String text = "x".repeat(350_000);
    List<PolicyVersion> published = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      PolicyVersion v =
          new PolicyVersion(
              "v" + i,
              Instant.parse("2026-0" + i + "-01T00:00:00Z"),
              Instant.parse("2026-0" + i + "-15T00:00:00Z"),
              false,
              "changes " + i,
              text);
      admin.putItem(p -> p.tableName(table).item(PolicyVersions.toItem(v)));
      published.add(v);
    }
    assertThat(admin.scan(s -> s.tableName(table)).hasLastEvaluatedKey())
        .as("the versions fill more than one page")
        .isTrue();

    List<PolicyVersions.Scheduled> schedule = new PolicyVersions(admin, table).schedule();

    assertThat(schedule)
        .containsExactlyInAnyOrderElementsOf(
            published.stream().map(PolicyVersion::scheduled).toList());
    assertThat(PolicyVersions.inForceName(schedule, Instant.parse("2026-03-20T00:00:00Z")))
        .contains("v3");
    assertThat(PolicyVersions.inForceName(schedule, Instant.parse("2026-01-10T00:00:00Z")))
        .isEmpty();
  }
}
