package dev.custodian.core.subjects;

import dev.custodian.core.cache.ExpiringCache;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.SubjectKeyring;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Finds the data subject behind an email or an account, creating them (with their own data key) the
 * first time. Lookups go through blind indexes, so the key store holds no email in clear; a
 * conditional transaction makes the lookup unique, so concurrent first orders with the same email
 * end with one subject.
 *
 * <p>A subject's key and lookups live while the person is active and at least as long as the
 * records sealed under the key (docs/privacy.md#keys): an order, a message, a sign-in or a request
 * makes sure they expire no sooner than the inactivity period, or the retention of what is being
 * sealed, from now; then TTL takes them. Extending costs two conditional updates (the key first, so
 * a lookup never outlives its key) and goes {@link #HEADROOM} further than needed, so an active
 * person's key is extended about once a month, and a warm write's only call stays its own
 * transaction. Expiries only grow: each update holds only while the new date is later.
 */
public final class SubjectDirectory {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int ATTEMPTS = 3;

  /** How much further than needed an extension goes, so that it is not needed at every write. */
  static final Duration HEADROOM = Duration.ofDays(30);

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final SubjectKeyring keyring;
  private final BlindIndex index;
  private final RetentionRegistry retention;
  private final Clock clock;
  private final ExpiringCache<Known> recentEmails;

  public SubjectDirectory(
      DynamoDbClient dynamoDb,
      String table,
      SubjectKeyring keyring,
      BlindIndex index,
      RetentionRegistry retention,
      ExpiringCache<Known> recentEmails,
      Clock clock) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.keyring = keyring;
    this.index = index;
    this.retention = retention;
    this.recentEmails = recentEmails;
    this.clock = clock;
  }

  /** A subject, and whether this call created it. */
  public record Subject(String subjectId, boolean created) {}

  /** What is known of a lookup: its subject, and when the lookup (and the key) expire. */
  public record Known(String subjectId, long expiresAt) {}

  public Subject findOrCreateByEmail(String email) {
    return findOrCreate(emailLookup(email), needed(clock.instant())).subject();
  }

  /**
   * The subject of an email, for a write that seals records of these classes under its key, and
   * must land only while that is still true: the returned condition check goes into the write's
   * transaction and fails it if the lookup has changed meanwhile (the subject was erased, or the
   * lookup expired) or would expire before the records. The key and lookup are extended first when
   * they would. A container remembers the subjects of emails it has seen, so a returning customer
   * costs no read here; a failed check must be followed by {@link #forgetEmail} and a new resolve.
   */
  public Resolved resolveEmail(String email, DataClass... sealing) {
    String lookup = emailLookup(email);
    Instant now = clock.instant();
    long needed = needed(now, sealing);
    Known known = recentEmails.get(lookup).orElse(null);
    if (known == null || known.expiresAt() < needed) {
      known = findOrCreate(lookup, needed).known();
    }
    recentEmails.put(lookup, known);
    String subjectId = known.subjectId();
    TransactWriteItem stillCurrent =
        TransactWriteItem.builder()
            .conditionCheck(
                c ->
                    c.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(lookup)))
                        .conditionExpression("subjectId = :s AND expiresAt >= :needed")
                        .expressionAttributeValues(
                            Map.of(
                                ":s", AttributeValue.fromS(subjectId),
                                ":needed", AttributeValue.fromN(Long.toString(needed)))))
            .build();
    return new Resolved(subjectId, stillCurrent);
  }

  /** A subject for a write, and the check that keeps the write to that subject's lookup. */
  public record Resolved(String subjectId, TransactWriteItem stillCurrent) {}

  /** Drops what this container remembers of an email (after its condition check failed). */
  public void forgetEmail(String email) {
    recentEmails.invalidate(emailLookup(email));
  }

  public Optional<String> findByEmail(String email) {
    return find(emailLookup(email)).map(Known::subjectId);
  }

  /**
   * The subject of an email known only by its blind index ({@link #emailIndex}): what a privacy
   * request keeps, so the subject is looked up only once the request is verified.
   */
  public Optional<String> findByEmailIndex(String emailIndex) {
    return find("lookup#email#" + emailIndex).map(Known::subjectId);
  }

  /**
   * Links an account's subject to the email the identity provider verified for it: a person is one
   * person, so a request verified by a code emailed to that address reaches the account too. The
   * link is keyed by the email's blind index and holds subject ids only.
   */
  public void linkAccount(String email, String accountSubjectId) {
    dynamoDb.updateItem(
        b ->
            b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(linkKey(index.ofEmail(email)))))
                .updateExpression("ADD accounts :account SET expiresAt = :expires")
                .expressionAttributeValues(
                    Map.of(
                        ":account", AttributeValue.fromSs(List.of(accountSubjectId)),
                        ":expires",
                            retention.expiresAtAttribute(
                                DataClass.SUBJECT_PROFILE, clock.instant()))));
  }

  /** The account subjects linked to an email, by its blind index. */
  public List<String> linkedAccounts(String emailIndex) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                b ->
                    b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(linkKey(emailIndex))))
                        .consistentRead(true))
            .item();
    return RetentionRegistry.live(item, clock.instant())
        .filter(i -> i.containsKey("accounts"))
        .map(i -> i.get("accounts").ss().stream().sorted().toList())
        .orElse(List.of());
  }

  private static String linkKey(String emailIndex) {
    return "link#email#" + emailIndex;
  }

  /** The subject of an account, by the identity provider's {@code sub} claim: a sign-in. */
  public Subject findOrCreateByAccount(String accountSub) {
    return findOrCreate(accountLookup(accountSub), needed(clock.instant())).subject();
  }

  public Optional<String> findByAccount(String accountSub) {
    return find(accountLookup(accountSub)).map(Known::subjectId);
  }

  /**
   * The person behind a verified request is active: their key and email lookup live at least the
   * inactivity period from now.
   */
  public void keepActiveByEmailIndex(String subjectId, String emailIndex) {
    // subjectId may be null (an address not known): the lookup is read all the same.
    String lookup = "lookup#email#" + emailIndex;
    long needed = needed(clock.instant());
    find(lookup)
        .filter(k -> k.subjectId().equals(subjectId) && k.expiresAt() < needed)
        .ifPresent(k -> extend(lookup, k, needed));
  }

  /** The blind index of an email: what rate limits and tombstones may store instead of it. */
  public String emailIndex(String email) {
    return index.ofEmail(email);
  }

  /**
   * Crypto-shreds a subject: deletes the wrapped key and the lookups, so every value sealed under
   * the key — in tables, backups, queues or exports — can no longer be opened. Idempotent.
   */
  public void shred(String subjectId) {
    shred(subjectId, null);
  }

  /**
   * As {@link #shred(String)}, and in the same call forgets which accounts the email with this
   * blind index reached (null: none to forget).
   */
  public void shred(String subjectId, String unlinkEmailIndex) {
    Map<String, AttributeValue> key =
        Map.of("pk", AttributeValue.fromS(SubjectKeyring.itemKey(subjectId)));
    Map<String, AttributeValue> item =
        dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
    List<TransactWriteItem> deletes = new ArrayList<>();
    deletes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key)).build());
    if (item != null && item.get("lookups") != null) {
      for (String lookup : item.get("lookups").ss()) {
        deletes.add(
            TransactWriteItem.builder()
                .delete(
                    d ->
                        d.tableName(table)
                            .key(Map.of("pk", AttributeValue.fromS(lookup)))
                            .conditionExpression("subjectId = :s")
                            .expressionAttributeValues(
                                Map.of(":s", AttributeValue.fromS(subjectId))))
                .build());
      }
    }
    if (unlinkEmailIndex != null) {
      deletes.add(
          TransactWriteItem.builder()
              .delete(
                  d ->
                      d.tableName(table)
                          .key(Map.of("pk", AttributeValue.fromS(linkKey(unlinkEmailIndex)))))
              .build());
    }
    dynamoDb.transactWriteItems(b -> b.transactItems(deletes));
    keyring.forget(subjectId);
  }

  private String emailLookup(String email) {
    return "lookup#email#" + index.ofEmail(email);
  }

  /**
   * The earliest expiry the key may have for a person active now who seals records of these
   * classes: the inactivity period, or the longest retention among them.
   */
  private long needed(Instant now, DataClass... sealing) {
    Duration life = retention.period(DataClass.SUBJECT_PROFILE).orElseThrow();
    for (DataClass dataClass : sealing) {
      Duration period = retention.period(dataClass).orElse(Duration.ZERO);
      if (period.compareTo(life) > 0) {
        life = period;
      }
    }
    return now.plus(life).getEpochSecond();
  }

  /** Moves the key's and then the lookup's expiry to {@code needed} plus the headroom. */
  private Known extend(String lookup, Known known, long needed) {
    long until = needed + HEADROOM.toSeconds();
    extendItem(
        SubjectKeyring.itemKey(known.subjectId()), "attribute_exists(wrappedKey)", until, null);
    extendItem(lookup, "subjectId = :s", until, known.subjectId());
    return new Known(known.subjectId(), until);
  }

  private void extendItem(String pk, String condition, long until, String subjectId) {
    Map<String, AttributeValue> values = new java.util.HashMap<>();
    values.put(":until", AttributeValue.fromN(Long.toString(until)));
    if (subjectId != null) {
      values.put(":s", AttributeValue.fromS(subjectId));
    }
    try {
      dynamoDb.updateItem(
          b ->
              b.tableName(table)
                  .key(Map.of("pk", AttributeValue.fromS(pk)))
                  .conditionExpression(condition + " AND expiresAt < :until")
                  .updateExpression("SET expiresAt = :until")
                  .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException laterOrGone) {
      // Already lives longer (another container extended it), or erased meanwhile: a write that
      // depends on the lookup finds out through its own condition check.
    }
  }

  private String accountLookup(String accountSub) {
    return "lookup#account#" + index.of("account", accountSub);
  }

  private Optional<Known> find(String lookup) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                b ->
                    b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(lookup)))
                        .consistentRead(true))
            .item();
    return RetentionRegistry.live(item, clock.instant())
        .map(
            i ->
                new Known(
                    i.get("subjectId").s(),
                    Long.parseLong(i.get(RetentionRegistry.EXPIRES_AT).n())));
  }

  private record Found(Known known, boolean created) {
    Subject subject() {
      return new Subject(known.subjectId(), created);
    }
  }

  /** The subject of a lookup, living at least until {@code needed}; created when there is none. */
  private Found findOrCreate(String lookup, long needed) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Known> existing = find(lookup);
      if (existing.isPresent()) {
        Known known = existing.get();
        return new Found(known.expiresAt() < needed ? extend(lookup, known, needed) : known, false);
      }
      String subjectId = "s_" + HexFormat.of().formatHex(randomBytes(16));
      SubjectKeyring.NewKey key = keyring.generate(subjectId);
      Instant now = clock.instant();
      long until = needed + HEADROOM.toSeconds();
      AttributeValue expiresAt = AttributeValue.fromN(Long.toString(until));
      Map<String, AttributeValue> subject =
          Map.of(
              "pk",
              AttributeValue.fromS(SubjectKeyring.itemKey(subjectId)),
              SubjectKeyring.WRAPPED_KEY,
              AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(key.wrapped())),
              "createdAt",
              AttributeValue.fromS(now.toString()),
              "lookups",
              AttributeValue.fromSs(List.of(lookup)),
              RetentionRegistry.EXPIRES_AT,
              expiresAt);
      Map<String, AttributeValue> lookupItem =
          Map.of(
              "pk",
              AttributeValue.fromS(lookup),
              "subjectId",
              AttributeValue.fromS(subjectId),
              RetentionRegistry.EXPIRES_AT,
              expiresAt);
      try {
        dynamoDb.transactWriteItems(
            b ->
                b.transactItems(
                    TransactWriteItem.builder()
                        .put(
                            p ->
                                p.tableName(table)
                                    .item(subject)
                                    .conditionExpression("attribute_not_exists(pk)"))
                        .build(),
                    TransactWriteItem.builder()
                        .put(
                            p ->
                                p.tableName(table)
                                    .item(lookupItem)
                                    // an expired lookup (TTL not yet run) may be replaced
                                    .conditionExpression(
                                        "attribute_not_exists(pk) OR expiresAt < :now")
                                    .expressionAttributeValues(
                                        Map.of(
                                            ":now",
                                            AttributeValue.fromN(
                                                Long.toString(now.getEpochSecond())))))
                        .build()));
        keyring.remember(key);
        return new Found(new Known(subjectId, until), true);
      } catch (TransactionCanceledException e) {
        if (!lostTheRace(e)) {
          throw e;
        }
        // Another request created the subject first: use theirs (next attempt finds it).
      }
    }
    throw new IllegalStateException("could not find or create the subject");
  }

  private static boolean lostTheRace(TransactionCanceledException e) {
    return !e.hasCancellationReasons() || Cancellations.any(e, Cancellations.CONDITION_FAILED);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
