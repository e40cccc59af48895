package dev.custodian.core.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Values kept in this container's memory: bounded (least recently used go first) and expiring.
 * Unwrapped subject keys live here, so a warm container calls KMS once per subject per expiry, not
 * once per field; so do the subjects of recently seen emails.
 */
public final class ExpiringCache<V> {

  private record Entry<V>(V value, Instant expires) {}

  private final int maxEntries;
  private final Duration ttl;
  private final Clock clock;
  private final LinkedHashMap<String, Entry<V>> entries;

  public ExpiringCache(int maxEntries, Duration ttl, Clock clock) {
    if (maxEntries < 1 || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a cache needs room and a positive expiry");
    }
    this.maxEntries = maxEntries;
    this.ttl = ttl;
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
            return size() > ExpiringCache.this.maxEntries;
          }
        };
  }

  public synchronized Optional<V> get(String key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.expires())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(entry.value());
  }

  public synchronized void put(String key, V value) {
    entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
  }

  public synchronized void invalidate(String key) {
    entries.remove(key);
  }

  public synchronized int size() {
    return entries.size();
  }
}
