package dev.custodian.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {

  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-11-24T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final MovableClock clock = new MovableClock();
  private final SecretKey key = new SecretKeySpec(new byte[32], "AES");

  @Test
  void get_forgetsKeys_afterTheirExpiry() {
    ExpiringCache<SecretKey> cache = new ExpiringCache<>(10, Duration.ofMinutes(5), clock);
    cache.put("s1", key);

    clock.now = clock.now.plus(Duration.ofMinutes(4));
    assertThat(cache.get("s1")).contains(key);
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(cache.get("s1")).isEmpty();
  }

  @Test
  void put_evictsTheLeastRecentlyUsed_whenFull() {
    ExpiringCache<SecretKey> cache = new ExpiringCache<>(2, Duration.ofMinutes(5), clock);
    cache.put("a", key);
    cache.put("b", key);
    cache.get("a");
    cache.put("c", key);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("a")).isPresent();
    assertThat(cache.get("b")).isEmpty();
    assertThat(cache.get("c")).isPresent();
  }

  @Test
  void invalidate_dropsTheKeyAtOnce() {
    ExpiringCache<SecretKey> cache = new ExpiringCache<>(2, Duration.ofMinutes(5), clock);
    cache.put("a", key);
    cache.invalidate("a");
    assertThat(cache.get("a")).isEmpty();
  }
}
