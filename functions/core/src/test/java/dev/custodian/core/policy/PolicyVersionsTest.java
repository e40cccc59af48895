package dev.custodian.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyVersionsTest {

  private static PolicyVersion version(String name, String published, String effective) {
    return new PolicyVersion(
        name, Instant.parse(published), Instant.parse(effective), false, "changes", "text");
  }

  private final PolicyVersion first = version("v1", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
  private final PolicyVersion scheduled =
      version("v2", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z");
  private final PolicyVersion urgent =
      version("v3", "2026-02-10T00:00:00Z", "2026-02-10T00:00:00Z");

  @Test
  void inForce_isTheLatestToTakeEffect_amongThoseAlreadyEffective() {
    List<PolicyVersion> all = List.of(first, scheduled, urgent);

    assertThat(PolicyVersions.inForce(all, Instant.parse("2025-12-31T00:00:00Z"))).isEmpty();
    assertThat(PolicyVersions.inForce(all, Instant.parse("2026-01-15T00:00:00Z"))).contains(first);
    // v2 is published but not yet effective: v1 stays in force until v3 takes effect
    assertThat(PolicyVersions.inForce(all, Instant.parse("2026-02-05T00:00:00Z"))).contains(first);
    assertThat(PolicyVersions.inForce(all, Instant.parse("2026-02-10T00:00:00Z"))).contains(urgent);
    assertThat(PolicyVersions.inForce(all, Instant.parse("2026-03-01T00:00:00Z")))
        .contains(scheduled);
  }

  @Test
  void theScheduleChoosesAsTheVersionsDo() {
    List<PolicyVersion> all = List.of(first, scheduled, urgent);
    List<PolicyVersions.Scheduled> schedule = all.stream().map(PolicyVersion::scheduled).toList();

    for (String now :
        new String[] {
          "2025-12-31T00:00:00Z",
          "2026-01-15T00:00:00Z",
          "2026-02-05T00:00:00Z",
          "2026-02-09T23:59:59.999Z",
          "2026-02-10T00:00:00Z",
          "2026-03-01T00:00:00Z"
        }) {
      assertThat(PolicyVersions.inForceName(schedule, Instant.parse(now)))
          .as(now)
          .isEqualTo(PolicyVersions.inForce(all, Instant.parse(now)).map(PolicyVersion::version));
    }
    assertThat(PolicyVersions.inForceName(schedule, Instant.parse("2026-02-05T00:00:00Z")))
        .contains("v1");
    // two taking effect at the same instant: the later publication
    PolicyVersions.Scheduled same =
        new PolicyVersions.Scheduled(
            "v4", Instant.parse("2026-02-11T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(
            PolicyVersions.inForceName(
                List.of(scheduled.scheduled(), same), Instant.parse("2026-03-01T00:00:00Z")))
        .contains("v4");
  }

  @Test
  void list_isNewestPublicationFirst() {
    List<PolicyVersion> all = new ArrayList<>(List.of(scheduled, first, urgent));

    all.sort(PolicyVersions.NEWEST_FIRST);

    assertThat(all).containsExactly(urgent, scheduled, first);
  }

  @Test
  void anItem_roundTripsThroughTheTableLayout() {
    PolicyVersion material =
        new PolicyVersion(
            "2027-01",
            Instant.parse("2026-12-01T10:00:00.123Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            true,
            "Contact messages are kept half as long.",
            "# Policy\n| a | b |");

    assertThat(PolicyVersions.fromItem(PolicyVersions.toItem(material))).isEqualTo(material);
    assertThat(PolicyVersions.toItem(material).get("pk").s()).isEqualTo("version#2027-01");
    assertThat(PolicyVersions.toItem(material)).doesNotContainKey("expiresAt");
  }

  @Test
  void aVersionName_isLimitedToTheRecordsAlphabet() {
    assertThatThrownBy(() -> version("v 1/../x", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class);
    // a path segment a browser or HTTP client would normalise away names no reachable page
    for (String dots : new String[] {".", "..", ".hidden", "-x"}) {
      assertThatThrownBy(() -> version(dots, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"))
          .as(dots)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
