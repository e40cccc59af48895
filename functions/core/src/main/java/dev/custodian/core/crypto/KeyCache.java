package dev.custodian.core.crypto;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Unwrapped subject keys kept in this container's memory: bounded (least recently used go first)
 * and expiring, so a warm container calls KMS once per subject per expiry, not once per field.
 */
public final class KeyCache {

  private record Entry(SecretKey key, Instant expires) {}

  private final int maxEntries;
  private final Duration ttl;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries;

  public KeyCache(int maxEntries, Duration ttl, Clock clock) {
    if (maxEntries < 1 || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a key cache needs room and a positive expiry");
    }
    this.maxEntries = maxEntries;
    this.ttl = ttl;
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > KeyCache.this.maxEntries;
          }
        };
  }

  public synchronized Optional<SecretKey> get(String subjectId) {
    Entry entry = entries.get(subjectId);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.expires())) {
      entries.remove(subjectId);
      return Optional.empty();
    }
    return Optional.of(entry.key());
  }

  public synchronized void put(String subjectId, SecretKey key) {
    entries.put(subjectId, new Entry(key, clock.instant().plus(ttl)));
  }

  public synchronized void invalidate(String subjectId) {
    entries.remove(subjectId);
  }

  synchronized int size() {
    return entries.size();
  }
}
