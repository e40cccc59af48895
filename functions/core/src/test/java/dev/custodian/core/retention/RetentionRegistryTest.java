package dev.custodian.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RetentionRegistryTest {

  private final Instant now = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void defaults_areTheDesignsPeriods() {
    RetentionRegistry registry = RetentionRegistry.defaults();

    assertThat(registry.period(DataClass.ORDER_CONTACT)).contains(Duration.ofDays(730));
    assertThat(registry.period(DataClass.TRANSACTION)).contains(Duration.ofDays(3650));
    assertThat(registry.period(DataClass.CONTACT_MESSAGE)).contains(Duration.ofDays(365));
    assertThat(registry.period(DataClass.ANALYTICS_EVENT)).contains(Duration.ofDays(90));
    assertThat(registry.period(DataClass.EXPORT)).contains(Duration.ofDays(7));
    assertThat(registry.period(DataClass.AUDIT)).contains(Duration.ofDays(1095));
    assertThat(registry.period(DataClass.IDEMPOTENCY)).contains(Duration.ofHours(24));
    assertThat(registry.period(DataClass.ANALYTICS_AGGREGATE)).contains(Duration.ofDays(1095));
    // longer than the data tables' 35 days of point-in-time recovery
    assertThat(registry.period(DataClass.TOMBSTONE)).contains(Duration.ofDays(42));
  }

  @Test
  void fromEnvironment_takesTheTemplatesParameters() {
    RetentionRegistry registry =
        RetentionRegistry.fromEnvironment(
            Map.of("RETENTION_EXPORT_DAYS", "3", "RETENTION_IDEMPOTENCY_HOURS", "2"));

    assertThat(registry.expiresAt(DataClass.EXPORT, now))
        .contains(now.plus(Duration.ofDays(3)).getEpochSecond());
    assertThat(registry.expiresAt(DataClass.IDEMPOTENCY, now))
        .contains(now.plus(Duration.ofHours(2)).getEpochSecond());
    assertThat(registry.expiresAt(DataClass.ANALYTICS_AGGREGATE, now))
        .contains(now.plus(Duration.ofDays(1095)).getEpochSecond());
  }

  @Test
  void fromEnvironment_refusesNonsense_namingTheSetting() {
    assertThatThrownBy(
            () -> RetentionRegistry.fromEnvironment(Map.of("RETENTION_AUDIT_DAYS", "-1")))
        .hasMessageContaining("RETENTION_AUDIT_DAYS");
    assertThatThrownBy(
            () -> RetentionRegistry.fromEnvironment(Map.of("RETENTION_AUDIT_DAYS", "soon")))
        .hasMessageContaining("RETENTION_AUDIT_DAYS");
  }

  @Test
  void isLive_treatsAnItemPastItsExpiryAsAbsent() {
    long in = now.getEpochSecond();
    assertThat(
            RetentionRegistry.isLive(
                Map.of("expiresAt", AttributeValue.fromN(Long.toString(in + 1))), now))
        .isTrue();
    assertThat(
            RetentionRegistry.isLive(
                Map.of("expiresAt", AttributeValue.fromN(Long.toString(in))), now))
        .isFalse();
    assertThat(RetentionRegistry.isLive(Map.of("pk", AttributeValue.fromS("x")), now)).isTrue();
    assertThat(RetentionRegistry.isLive(Map.of(), now)).isFalse();
    assertThat(RetentionRegistry.isLive(null, now)).isFalse();
  }

  @Test
  void notices_describeEveryClassInWords() {
    var notices = RetentionRegistry.defaults().notices();

    assertThat(notices).hasSize(DataClass.values().length);
    assertThat(notices)
        .filteredOn(n -> n.dataClass().equals("TRANSACTION"))
        .singleElement()
        .satisfies(n -> assertThat(n.kept()).isEqualTo("3650 days after the order"));
    assertThat(notices)
        .filteredOn(n -> n.dataClass().equals("IDEMPOTENCY"))
        .singleElement()
        .satisfies(n -> assertThat(n.kept()).isEqualTo("24 hours"));
  }
}
