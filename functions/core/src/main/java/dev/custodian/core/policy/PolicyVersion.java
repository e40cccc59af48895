package dev.custodian.core.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * One published version of the privacy policy. Immutable once published; {@code text} is the
 * Markdown rendered at publication, its facts filled from the registries.
 */
public record PolicyVersion(
    String version,
    Instant publishedAt,
    Instant effectiveFrom,
    boolean material,
    String summaryOfChanges,
    String text) {

  /** What a version may be called: also what records and the order API accept. */
  // starts with a letter or digit: "." and ".." would name no page a browser can reach
  public static final String VERSION_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,31}";

  public PolicyVersion {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    Objects.requireNonNull(summaryOfChanges, "summaryOfChanges");
    Objects.requireNonNull(text, "text");
    if (!version.matches(VERSION_PATTERN)) {
      throw new IllegalArgumentException("not a policy version name");
    }
  }

  /** Its name and dates. */
  public PolicyVersions.Scheduled scheduled() {
    return new PolicyVersions.Scheduled(version, publishedAt, effectiveFrom);
  }

  /** Whether it applies at {@code now}. */
  public boolean effectiveAt(Instant now) {
    return scheduled().effectiveAt(now);
  }
}
