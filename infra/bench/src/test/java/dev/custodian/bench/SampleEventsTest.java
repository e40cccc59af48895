package dev.custodian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SampleEventsTest {

  @Test
  void freshEvents_getNewKeysEmailsAndTimes() {
    String event =
        "{\"headers\":{\"idempotency-key\":\"k-1\"},\"body\":\"{\\\"email\\\":\\\"a@b.c\\\","
            + "\\\"events\\\":[{\\\"occurredAt\\\":\\\"2020-01-01T00:00:00Z\\\"}]}\"}";
    String fresh = SampleEvents.fresh(event, "x@y.z");
    assertThat(fresh).doesNotContain("k-1").doesNotContain("a@b.c").doesNotContain("2020-01-01");
    assertThat(fresh).contains("x@y.z").contains("bench-");
  }

  @Test
  void everyColdStartSample_isAnEventOnDisk() throws Exception {
    for (String sample : SampleEvents.FOR_FUNCTION.values()) {
      assertThat(SampleEvents.read(sample)).as(sample).startsWith("{");
    }
  }
}
