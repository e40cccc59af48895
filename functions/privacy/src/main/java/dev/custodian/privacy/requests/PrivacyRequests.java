package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.Hashes;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.dynamo.WindowCounter;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Data-subject requests (DESIGN §6): taken from anyone with an email, answered alike whether or not
 * the email is known, verified with a one-time code sent to that mailbox, then tracked with a
 * request token. Codes and tokens are stored only as keyed or plain hashes.
 */
final class PrivacyRequests {

  static final String LOGICAL_TABLE = "privacy-requests";
  static final Pattern REQUEST_ID = Pattern.compile("r_[0-9a-f]{32}");
  static final Duration CODE_LIFE = Duration.ofMinutes(10);
  static final int CODE_ATTEMPTS = 3;
  static final int OPEN_REQUESTS_PER_DAY = 3;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivacyCore core;
  private final String table;
  private final RequestKeys requestKeys;
  private final Notifications notifications;
  private final ErasureQueue erasures;
  private final AnalyticsHistory analytics;
  private final SubjectRecords records;
  private final String exportsTable;

  PrivacyRequests(
      PrivacyCore core,
      String table,
      RequestKeys requestKeys,
      Notifications notifications,
      ErasureQueue erasures,
      AnalyticsHistory analytics,
      SubjectRecords records,
      String exportsTable) {
    this.core = core;
    this.table = table;
    this.requestKeys = requestKeys;
    this.notifications = notifications;
    this.erasures = erasures;
    this.analytics = analytics;
    this.records = records;
    this.exportsTable = exportsTable;
  }

  /** Where verified erasure requests go, for the erasure worker. */
  @FunctionalInterface
  interface ErasureQueue {
    void enqueue(String requestId, String subjectId);
  }

  /** The answer to a new request: the same for every email. */
  record Received(String requestId, String status) {}

  Received create(JsonNode body, String httpRequestId) {
    String email = body.get("email").asText();
    String type = body.get("type").asText();
    String regime = body.hasNonNull("regime") ? body.get("regime").asText() : "GDPR";
    String requestId = "r_" + HexFormat.of().formatHex(randomBytes(16));
    Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    String emailIndex = core.directory().emailIndex(email);
    Optional<String> subject = core.directory().findByEmail(email);
    // Same work for a known and an unknown email: a request key, a sealed email, a queued email.
    RequestKeys.NewKey key = requestKeys.generate(requestId);
    String pk = "request#" + requestId;
    boolean withinLimit = countOpenRequest(emailIndex, now);
    String code = String.format("%06d", RANDOM.nextInt(1_000_000));

    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk));
    item.put("requestId", AttributeValue.fromS(requestId));
    item.put("type", AttributeValue.fromS(type));
    item.put("regime", AttributeValue.fromS(regime));
    item.put("receivedAt", AttributeValue.fromS(now.toString()));
    item.put("dueAt", AttributeValue.fromS(dueAt(regime, now).toString()));
    item.put("emailIndex", AttributeValue.fromS(emailIndex));
    item.put("wrappedKey", AttributeValue.fromB(SdkBytes.fromByteArray(key.wrapped())));
    item.put("email", sealed(key, pk, "email", email));
    if (body.hasNonNull("corrections")) {
      item.put("corrections", sealed(key, pk, "corrections", body.get("corrections").toString()));
    }
    if (body.hasNonNull("visitorIds")) {
      List<AttributeValue> ids = new ArrayList<>();
      body.get("visitorIds")
          .forEach(v -> ids.add(sealed(key, pk, "visitorId#" + ids.size(), v.asText())));
      item.put("visitorIds", AttributeValue.fromL(ids));
    }
    item.put(
        RetentionRegistry.EXPIRES_AT,
        core.retention().expiresAtAttribute(DataClass.PRIVACY_REQUEST, now));
    Template template;
    String status;
    if (subject.isEmpty()) {
      // Nothing is held: the mailbox is told so, and the request is complete.
      status = "COMPLETED";
      item.put("completedAt", AttributeValue.fromS(now.toString()));
      item.put("result", AttributeValue.fromS("{\"noDataHeld\":true}"));
      template = Template.NO_DATA_HELD;
    } else {
      status = "PENDING_VERIFICATION";
      item.put("subjectId", AttributeValue.fromS(subject.get()));
      item.put("codeHash", AttributeValue.fromS(codeHash(requestId, code)));
      item.put(
          "codeExpiresAt", AttributeValue.fromN(Long.toString(now.plus(CODE_LIFE).toEpochMilli())));
      item.put("attempts", AttributeValue.fromN("0"));
      template = Template.VERIFICATION_CODE;
    }
    item.put("status", AttributeValue.fromS(status));
    item.put(
        "history", AttributeValue.fromL(List.of(historyEntry("PENDING_VERIFICATION", now, null))));
    if (status.equals("COMPLETED")) {
      item.put(
          "history",
          AttributeValue.fromL(
              List.of(
                  historyEntry("PENDING_VERIFICATION", now, null),
                  historyEntry("COMPLETED", now, "no data held"))));
    }
    // The request and its audit record, together or not at all, in one call.
    core.dynamoDb()
        .transactWriteItems(
            b ->
                b.transactItems(
                    TransactWriteItem.builder()
                        .put(
                            p ->
                                p.tableName(table)
                                    .item(item)
                                    .conditionExpression("attribute_not_exists(pk)"))
                        .build(),
                    core.audit()
                        .asTransactPut(
                            new AuditRecord(
                                Actor.customer(requestId),
                                Action.CREATE,
                                DataClass.PRIVACY_REQUEST,
                                requestId,
                                subject.orElse(null),
                                Purpose.DATA_SUBJECT_REQUEST,
                                withinLimit ? Outcome.SUCCESS : Outcome.DENIED,
                                httpRequestId))));
    if (withinLimit) {
      String secret =
          template == Template.VERIFICATION_CODE
              ? Base64.getEncoder()
                  .encodeToString(
                      FieldSealer.seal(
                          key.key(),
                          new FieldAddress(LOGICAL_TABLE, pk, "code"),
                          code.getBytes(StandardCharsets.UTF_8)))
              : null;
      notifications.send(
          new Notifications.Notification(template, subject.orElse(null), requestId, secret));
    } else {
      Log.info("privacy request over the daily limit", "requestId", requestId);
    }
    return new Received(requestId, "PENDING_VERIFICATION");
  }

  /** GDPR: one calendar month from receipt; CCPA: 45 days. */
  static Instant dueAt(String regime, Instant received) {
    return regime.equals("CCPA")
        ? received.plus(Duration.ofDays(45))
        : received.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
  }

  /** At most a few requests per email a day; past that the answer is the same but no email. */
  private boolean countOpenRequest(String emailIndex, Instant now) {
    Instant day = now.truncatedTo(ChronoUnit.DAYS);
    return new WindowCounter(core.dynamoDb(), table)
        .tryCount(emailIndex, day, OPEN_REQUESTS_PER_DAY, day.plus(Duration.ofDays(2)));
  }

  /** The answer to a correct code: the request token, shown once. */
  record Verified(String requestId, String status, String requestToken) {}

  Verified verify(String requestId, String code, String httpRequestId) {
    Map<String, AttributeValue> item = load(requestId);
    Instant now = core.clock().instant();
    if (!"PENDING_VERIFICATION".equals(item.get("status").s()) || !item.containsKey("codeHash")) {
      throw codeRefused();
    }
    long expires = Long.parseLong(item.get("codeExpiresAt").n());
    int attempts = Integer.parseInt(item.get("attempts").n());
    boolean right =
        MessageDigest.isEqual(
            codeHash(requestId, code).getBytes(StandardCharsets.US_ASCII),
            item.get("codeHash").s().getBytes(StandardCharsets.US_ASCII));
    String subjectId = item.containsKey("subjectId") ? item.get("subjectId").s() : null;
    if (now.toEpochMilli() > expires || !right) {
      boolean last = attempts + 1 >= CODE_ATTEMPTS || now.toEpochMilli() > expires;
      failAttempt(requestId, attempts, last, now);
      audit(requestId, subjectId, Action.READ, Outcome.DENIED, httpRequestId);
      throw codeRefused();
    }
    String token = HexFormat.of().formatHex(randomBytes(32));
    try {
      core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(table)
                      .key(key(requestId))
                      .conditionExpression(
                          "#s = :pending AND attempts = :attempts AND attribute_exists(codeHash)")
                      .updateExpression(
                          "SET #s = :verified, verifiedAt = :now, tokenHash = :token,"
                              + " history = list_append(history, :entry)"
                              + " REMOVE codeHash, codeExpiresAt")
                      .expressionAttributeNames(Map.of("#s", "status"))
                      .expressionAttributeValues(
                          Map.of(
                              ":pending", AttributeValue.fromS("PENDING_VERIFICATION"),
                              ":attempts", AttributeValue.fromN(Integer.toString(attempts)),
                              ":verified", AttributeValue.fromS("VERIFIED"),
                              ":now", AttributeValue.fromS(now.toString()),
                              ":token", AttributeValue.fromS(sha256(token)),
                              ":entry",
                                  AttributeValue.fromL(
                                      List.of(historyEntry("VERIFIED", now, null))))));
    } catch (ConditionalCheckFailedException usedMeanwhile) {
      throw codeRefused();
    }
    audit(requestId, subjectId, Action.UPDATE, Outcome.SUCCESS, httpRequestId);
    Log.info("privacy request verified", "requestId", requestId);
    return new Verified(requestId, process(requestId, subjectId, item, now, httpRequestId), token);
  }

  /** What a verified request does at once, by type; answers the status it ends in. */
  private String process(
      String requestId,
      String subjectId,
      Map<String, AttributeValue> item,
      Instant now,
      String httpRequestId) {
    String status = "VERIFIED";
    if (subjectId != null
        && item.containsKey("emailIndex")
        && !"ERASURE".equals(item.get("type").s())) {
      // The person is active: their key outlives the request's outcome (an export sealed under it).
      core.directory().keepActiveByEmailIndex(subjectId, item.get("emailIndex").s());
    }
    if ("ERASURE".equals(item.get("type").s())) {
      // Marked in progress first: the worker only takes requests that are.
      core.dynamoDb()
          .updateItem(
              b ->
                  b.tableName(table)
                      .key(key(requestId))
                      .conditionExpression("#s = :verified")
                      .updateExpression(
                          "SET #s = :inProgress, history = list_append(history, :entry)")
                      .expressionAttributeNames(Map.of("#s", "status"))
                      .expressionAttributeValues(
                          Map.of(
                              ":verified", AttributeValue.fromS("VERIFIED"),
                              ":inProgress", AttributeValue.fromS("IN_PROGRESS"),
                              ":entry",
                                  AttributeValue.fromL(
                                      List.of(historyEntry("IN_PROGRESS", now, null))))));
      erasures.enqueue(requestId, subjectId);
      status = "IN_PROGRESS";
    } else if ("CLEAR_ANALYTICS".equals(item.get("type").s())) {
      status = clearAnalytics(requestId, subjectId, item, httpRequestId);
    } else if ("ACCESS".equals(item.get("type").s())) {
      status = prepareExport(requestId, subjectId, item, httpRequestId);
    } else if ("RECTIFICATION".equals(item.get("type").s())) {
      status = rectify(requestId, subjectId, item, httpRequestId);
    }
    return status;
  }

  /**
   * A request of a signed-in account: the login verified the person, so no code is sent; the
   * request is verified at once and processed like a verified one.
   */
  Verified createForAccount(
      JsonNode body,
      String subjectId,
      String accountSubjectId,
      String email,
      String httpRequestId) {
    String requestId = "r_" + HexFormat.of().formatHex(randomBytes(16));
    Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    String regime = body.hasNonNull("regime") ? body.get("regime").asText() : "GDPR";
    RequestKeys.NewKey key = requestKeys.generate(requestId);
    String pk = "request#" + requestId;
    String token = HexFormat.of().formatHex(randomBytes(32));
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk));
    item.put("requestId", AttributeValue.fromS(requestId));
    item.put("type", AttributeValue.fromS(body.get("type").asText()));
    item.put("regime", AttributeValue.fromS(regime));
    item.put("receivedAt", AttributeValue.fromS(now.toString()));
    item.put("verifiedAt", AttributeValue.fromS(now.toString()));
    item.put("dueAt", AttributeValue.fromS(dueAt(regime, now).toString()));
    item.put("subjectId", AttributeValue.fromS(subjectId));
    item.put("emailIndex", AttributeValue.fromS(core.directory().emailIndex(email)));
    item.put("wrappedKey", AttributeValue.fromB(SdkBytes.fromByteArray(key.wrapped())));
    item.put("email", sealed(key, pk, "email", email));
    item.put("tokenHash", AttributeValue.fromS(sha256(token)));
    if (!accountSubjectId.equals(subjectId)) {
      // The account's own subject (its profile) belongs to the same person: erased with them.
      item.put("accountSubjectId", AttributeValue.fromS(accountSubjectId));
    }
    if (body.hasNonNull("corrections")) {
      item.put("corrections", sealed(key, pk, "corrections", body.get("corrections").toString()));
    }
    if (body.hasNonNull("visitorIds")) {
      List<AttributeValue> ids = new ArrayList<>();
      body.get("visitorIds")
          .forEach(v -> ids.add(sealed(key, pk, "visitorId#" + ids.size(), v.asText())));
      item.put("visitorIds", AttributeValue.fromL(ids));
    }
    item.put("status", AttributeValue.fromS("VERIFIED"));
    item.put(
        "history",
        AttributeValue.fromL(List.of(historyEntry("VERIFIED", now, "signed-in account"))));
    item.put(
        RetentionRegistry.EXPIRES_AT,
        core.retention().expiresAtAttribute(DataClass.PRIVACY_REQUEST, now));
    core.dynamoDb()
        .putItem(
            b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    audit(requestId, subjectId, Action.CREATE, Outcome.SUCCESS, httpRequestId);
    return new Verified(requestId, process(requestId, subjectId, item, now, httpRequestId), token);
  }

  /** The words of Art. 15 GDPR that every export carries. */
  private Map<String, Object> information() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put(
        "purposes",
        List.of(
            "delivering your orders and telling you about them",
            "answering your messages",
            "statistics about how the shop is used (with your consent, pseudonymous)",
            "keeping the accounts the law requires"));
    info.put(
        "recipients",
        List.of(
            Map.of(
                "recipient",
                "the logistics provider",
                "data",
                "recipient name, phone, shipping address, items"),
            Map.of("recipient", "the payment processor", "data", "the payment you made with them"),
            Map.of(
                "recipient",
                "the email provider (Amazon SES)",
                "data",
                "your address, for the emails we send you")));
    info.put("retention", core.retention().notices());
    info.put(
        "source", "you, when you ordered, wrote to us, browsed the shop or asked about your data");
    info.put(
        "rights",
        List.of(
            "access and a copy (this export)",
            "rectification",
            "erasure",
            "restriction and objection",
            "data portability",
            "withdrawing consent to analytics at any time",
            "complaining to a data protection authority"));
    info.put("automatedDecisions", "none");
    return info;
  }

  /** Gathers everything held about the subject, seals it for 7 days, completes the request. */
  private String prepareExport(
      String requestId, String subjectId, Map<String, AttributeValue> item, String httpRequestId) {
    List<String> visitors =
        item.containsKey("visitorIds")
            ? analytics.pseudonyms(
                requestId, item.get("wrappedKey").b(), item.get("visitorIds").l())
            : List.of();
    Instant now = core.clock().instant();
    Map<String, Object> bundle = new LinkedHashMap<>();
    bundle.put("requestId", requestId);
    bundle.put("generatedAt", now.toString());
    bundle.put("data", records.gather(subjectId, visitors));
    bundle.put("information", information());
    String pk = "export#" + requestId;
    AttributeValue expiresAt = core.retention().expiresAtAttribute(DataClass.EXPORT, now);
    core.dynamoDb()
        .putItem(
            b ->
                b.tableName(exportsTable)
                    .item(
                        Map.of(
                            "pk",
                            AttributeValue.fromS(pk),
                            "subjectId",
                            AttributeValue.fromS(subjectId),
                            "bundle",
                            core.keyring()
                                .seal(
                                    subjectId,
                                    new FieldAddress("exports", pk, "bundle"),
                                    dev.custodian.core.json.Json.write(bundle)),
                            "createdAt",
                            AttributeValue.fromS(now.toString()),
                            RetentionRegistry.EXPIRES_AT,
                            expiresAt)));
    String availableUntil = Instant.ofEpochSecond(Long.parseLong(expiresAt.n())).toString();
    complete(requestId, "{\"export\":{\"availableUntil\":\"" + availableUntil + "\"}}", now);
    audit(requestId, subjectId, Action.EXPORT, Outcome.SUCCESS, httpRequestId);
    notifications.send(
        new Notifications.Notification(Template.REQUEST_COMPLETED, subjectId, requestId));
    return "COMPLETED";
  }

  /** Applies the corrections to every order not yet shipped, and completes the request. */
  private String rectify(
      String requestId, String subjectId, Map<String, AttributeValue> item, String httpRequestId) {
    int updated = 0;
    if (item.containsKey("corrections")) {
      javax.crypto.SecretKey key = requestKeys.unwrap(requestId, item.get("wrappedKey").b());
      String json =
          new String(
              FieldSealer.open(
                  key,
                  new FieldAddress(LOGICAL_TABLE, "request#" + requestId, "corrections"),
                  item.get("corrections").b().asByteArray()),
              StandardCharsets.UTF_8);
      updated = records.rectify(subjectId, (com.fasterxml.jackson.databind.JsonNode) parse(json));
    }
    Instant now = core.clock().instant();
    complete(requestId, "{\"ordersCorrected\":" + updated + "}", now);
    audit(requestId, subjectId, Action.UPDATE, Outcome.SUCCESS, httpRequestId);
    notifications.send(
        new Notifications.Notification(Template.REQUEST_COMPLETED, subjectId, requestId));
    return "COMPLETED";
  }

  private void complete(String requestId, String result, Instant now) {
    core.dynamoDb()
        .updateItem(
            b ->
                b.tableName(table)
                    .key(key(requestId))
                    .conditionExpression("#s = :verified")
                    .updateExpression(
                        "SET #s = :completed, completedAt = :now, #r = :result,"
                            + " history = list_append(history, :entry) REMOVE visitorIds, corrections")
                    .expressionAttributeNames(Map.of("#s", "status", "#r", "result"))
                    .expressionAttributeValues(
                        Map.of(
                            ":verified", AttributeValue.fromS("VERIFIED"),
                            ":completed", AttributeValue.fromS("COMPLETED"),
                            ":now", AttributeValue.fromS(now.toString()),
                            ":result", AttributeValue.fromS(result),
                            ":entry",
                                AttributeValue.fromL(
                                    List.of(historyEntry("COMPLETED", now, null))))));
  }

  /** The export of a completed access request, for the holder of its token. */
  Object export(String requestId, Optional<String> token, String httpRequestId) {
    Map<String, AttributeValue> request = authorised(requestId, token);
    String pk = "export#" + requestId;
    Map<String, AttributeValue> item =
        RetentionRegistry.live(
                core.dynamoDb()
                    .getItem(
                        b ->
                            b.tableName(exportsTable)
                                .key(Map.of("pk", AttributeValue.fromS(pk)))
                                .consistentRead(true))
                    .item(),
                core.clock().instant())
            .orElseThrow(ApiException::notFound);
    String subjectId = item.get("subjectId").s();
    String bundle;
    try {
      bundle =
          core.keyring()
              .open(subjectId, new FieldAddress("exports", pk, "bundle"), item.get("bundle"));
    } catch (dev.custodian.core.crypto.SubjectErasedException gone) {
      throw ApiException.notFound();
    }
    audit(request.get("requestId").s(), subjectId, Action.EXPORT, Outcome.SUCCESS, httpRequestId);
    return parse(bundle);
  }

  /** Deletes the browsing history of the visitor ids given, and completes the request. */
  private String clearAnalytics(
      String requestId, String subjectId, Map<String, AttributeValue> item, String httpRequestId) {
    long deleted =
        item.containsKey("visitorIds")
            ? analytics.clear(requestId, item.get("wrappedKey").b(), item.get("visitorIds").l())
            : 0;
    complete(requestId, "{\"deletedEvents\":" + deleted + "}", core.clock().instant());
    core.audit()
        .record(
            new AuditRecord(
                Actor.customer(requestId),
                Action.DELETE,
                DataClass.ANALYTICS_EVENT,
                requestId,
                subjectId,
                Purpose.DATA_SUBJECT_REQUEST,
                Outcome.SUCCESS,
                httpRequestId));
    notifications.send(
        new Notifications.Notification(Template.REQUEST_COMPLETED, subjectId, requestId));
    Log.info("browsing history cleared", "requestId", requestId, "events", deleted);
    return "COMPLETED";
  }

  private void failAttempt(String requestId, int attempts, boolean last, Instant now) {
    try {
      if (last) {
        core.dynamoDb()
            .updateItem(
                b ->
                    b.tableName(table)
                        .key(key(requestId))
                        .conditionExpression("attempts = :attempts")
                        .updateExpression(
                            "SET #s = :rejected, attempts = :next,"
                                + " history = list_append(history, :entry)"
                                // Nothing more will be sent: the email and its key go now.
                                + " REMOVE codeHash, codeExpiresAt, email, wrappedKey")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(
                            Map.of(
                                ":attempts", AttributeValue.fromN(Integer.toString(attempts)),
                                ":next", AttributeValue.fromN(Integer.toString(attempts + 1)),
                                ":rejected", AttributeValue.fromS("REJECTED"),
                                ":entry",
                                    AttributeValue.fromL(
                                        List.of(
                                            historyEntry(
                                                "REJECTED", now, "verification failed"))))));
      } else {
        core.dynamoDb()
            .updateItem(
                b ->
                    b.tableName(table)
                        .key(key(requestId))
                        .conditionExpression("attempts = :attempts")
                        .updateExpression("SET attempts = :next")
                        .expressionAttributeValues(
                            Map.of(
                                ":attempts", AttributeValue.fromN(Integer.toString(attempts)),
                                ":next", AttributeValue.fromN(Integer.toString(attempts + 1)))));
      }
    } catch (ConditionalCheckFailedException concurrentAttempt) {
      // another attempt counted first; this one is refused all the same
    }
  }

  /** The record of a request, for the holder of its token. */
  Map<String, Object> status(String requestId, Optional<String> token) {
    Map<String, AttributeValue> item = authorised(requestId, token);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requestId", requestId);
    out.put("type", item.get("type").s());
    out.put("status", item.get("status").s());
    out.put("regime", item.get("regime").s());
    out.put("receivedAt", item.get("receivedAt").s());
    out.put("verifiedAt", s(item, "verifiedAt"));
    out.put("dueAt", item.get("dueAt").s());
    out.put("completedAt", s(item, "completedAt"));
    List<Map<String, Object>> history = new ArrayList<>();
    for (AttributeValue entry : item.get("history").l()) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("status", entry.m().get("status").s());
      h.put("at", entry.m().get("at").s());
      if (entry.m().containsKey("reason")) {
        h.put("reason", entry.m().get("reason").s());
      }
      history.add(h);
    }
    out.put("history", history);
    out.put("result", item.containsKey("result") ? parse(item.get("result").s()) : null);
    return out;
  }

  private Map<String, AttributeValue> authorised(String requestId, Optional<String> token) {
    if (token.isEmpty()) {
      throw ApiException.notFound();
    }
    Map<String, AttributeValue> item = load(requestId);
    AttributeValue hash = item.get("tokenHash");
    if (hash == null
        || !MessageDigest.isEqual(
            sha256(token.get()).getBytes(StandardCharsets.US_ASCII),
            hash.s().getBytes(StandardCharsets.US_ASCII))) {
      throw ApiException.notFound();
    }
    return item;
  }

  private Map<String, AttributeValue> load(String requestId) {
    if (!REQUEST_ID.matcher(requestId).matches()) {
      throw ApiException.notFound();
    }
    return RetentionRegistry.live(
            core.dynamoDb()
                .getItem(b -> b.tableName(table).key(key(requestId)).consistentRead(true))
                .item(),
            core.clock().instant())
        .orElseThrow(ApiException::notFound);
  }

  private void audit(
      String requestId, String subjectId, Action action, Outcome outcome, String httpRequestId) {
    core.audit()
        .record(
            new AuditRecord(
                Actor.customer(requestId),
                action,
                DataClass.PRIVACY_REQUEST,
                requestId,
                subjectId,
                Purpose.DATA_SUBJECT_REQUEST,
                outcome,
                httpRequestId));
  }

  private static ApiException codeRefused() {
    return new ApiException(
        ErrorCode.VALIDATION_FAILED,
        "The code is not valid for this request.",
        List.of(new ApiException.FieldProblem("code", "is wrong, expired or already used")));
  }

  private String codeHash(String requestId, String code) {
    return core.index().of("privacy-code", requestId + ":" + code);
  }

  static AttributeValue historyEntry(String status, Instant at, String reason) {
    Map<String, AttributeValue> entry = new HashMap<>();
    entry.put("status", AttributeValue.fromS(status));
    entry.put("at", AttributeValue.fromS(at.toString()));
    if (reason != null) {
      entry.put("reason", AttributeValue.fromS(reason));
    }
    return AttributeValue.fromM(entry);
  }

  private static AttributeValue sealed(
      RequestKeys.NewKey key, String pk, String attribute, String value) {
    return AttributeValue.fromB(
        SdkBytes.fromByteArrayUnsafe(
            FieldSealer.seal(
                key.key(),
                new FieldAddress(LOGICAL_TABLE, pk, attribute),
                value.getBytes(StandardCharsets.UTF_8))));
  }

  private static Map<String, AttributeValue> key(String requestId) {
    return Map.of("pk", AttributeValue.fromS("request#" + requestId));
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? item.get(name).s() : null;
  }

  private static Object parse(String json) {
    try {
      return dev.custodian.core.json.Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable request result", e);
    }
  }

  static String sha256(String text) {
    return Hashes.sha256Hex(text);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
