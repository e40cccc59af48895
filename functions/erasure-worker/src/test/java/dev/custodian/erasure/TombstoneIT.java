package dev.custodian.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.SharedLocalCloud;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tombstones: kept while a backup could bring an erased person back, no longer (DESIGN §4). */
class TombstoneIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ErasureFixture fixture = new ErasureFixture(cloud);
  private final PrivacyCore core =
      new PrivacyCore(
          CoreConfig.fromEnvironment(fixture.env()),
          AwsClients.fromEnvironment(fixture.env()),
          Clock.systemUTC());

  private Map<String, AttributeValue> tombstone(String subjectId) {
    return cloud
        .emulator()
        .dynamoDb()
        .getItem(
            b ->
                b.tableName(fixture.tables().tombstones())
                    .key(Map.of("pk", AttributeValue.fromS("subject#" + subjectId)))
                    .consistentRead(true))
        .item();
  }

  @Test
  void aTombstone_expiresOnceTheLongestBackupWindowAndItsMarginHavePassed() {
    String subjectId =
        core.directory()
            .findOrCreateByEmail("tombstone." + UUID.randomUUID() + "@example.com")
            .subjectId();
    String requestId = fixture.verifiedErasure(subjectId);

    fixture.erasure(Clock.systemUTC()).erase(requestId, subjectId);

    Map<String, AttributeValue> tombstone = tombstone(subjectId);
    assertThat(tombstone).containsKey("expiresAt");
    long days = Long.parseLong(fixture.env().get("RETENTION_TOMBSTONE_DAYS"));
    assertThat(days)
        .as("the data tables' point-in-time recovery window is 35 days")
        .isGreaterThan(35);
    Instant erasedAt = Instant.parse(tombstone.get("erasedAt").s());
    assertThat(Long.parseLong(tombstone.get("expiresAt").n()))
        .isEqualTo(erasedAt.plus(Duration.ofDays(days)).getEpochSecond());
  }
}
