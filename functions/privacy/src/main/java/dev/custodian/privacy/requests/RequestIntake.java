package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.dynamo.WindowCounter;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.notify.Notifications.Template;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Takes new requests: from anyone with an email (taken alike whether or not the email is known, and
 * verified later with a code emailed to it), or from a signed-in account (verified by the login). A
 * code is stored only when it is emailed: past {@link #OPEN_REQUESTS_PER_DAY} emails per address
 * and day, a request is kept without one, so it can never be verified.
 */
final class RequestIntake {

  static final int OPEN_REQUESTS_PER_DAY = 3;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivacyCore core;
  private final String table;
  private final RequestKeys requestKeys;
  private final Notifications notifications;
  private final CodeVerification codes;
  private final PolicyStamp policy;

  RequestIntake(
      PrivacyCore core,
      String table,
      RequestKeys requestKeys,
      Notifications notifications,
      CodeVerification codes,
      PolicyStamp policy) {
    this.policy = policy;
    this.core = core;
    this.table = table;
    this.requestKeys = requestKeys;
    this.notifications = notifications;
    this.codes = codes;
  }

  /** The answer to a new request: the same for every email. */
  record Received(String requestId, String status) {}

  Received create(JsonNode body, String httpRequestId) {
    String email = body.get("email").asText();
    String type = body.get("type").asText();
    String regime = body.hasNonNull("regime") ? body.get("regime").asText() : "GDPR";
    String requestId = RequestItems.newRequestId();
    Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    String emailIndex = core.directory().emailIndex(email);
    // The same work for every email, known or not: whether it is known is looked up only once the
    // request is verified, so nothing here (answer, writes, calls, email) can tell.
    RequestKeys.NewKey key = requestKeys.generate(requestId);
    String pk = RequestItems.pk(requestId);
    boolean withinLimit = countOpenRequest(emailIndex, now);
    String code = sixDigits(RANDOM.nextInt(1_000_000));

    Map<String, AttributeValue> item = newItem(requestId, type, regime, now, emailIndex, key, body);
    // The email, apart: a request that is never verified keeps it only a short while.
    Map<String, AttributeValue> emailItem =
        RequestEmails.item(
            requestId,
            key.key(),
            email,
            core.retention().expiresAt(DataClass.REQUEST_EMAIL, now).orElseThrow());
    if (withinLimit) {
      // Only a code that is emailed is stored: one past the daily emails would be a free guess.
      item.put(
          PrivacyRequestItems.CODE_HASH, AttributeValue.fromS(codes.codeHash(requestId, code)));
    }
    item.put(
        PrivacyRequestItems.CODE_EXPIRES_AT,
        AttributeValue.fromN(Long.toString(now.plus(CodeVerification.CODE_LIFE).toEpochMilli())));
    item.put(PrivacyRequestItems.ATTEMPTS, AttributeValue.fromN("0"));
    PrivacyRequestItems.begin(item, RequestStatus.PENDING_VERIFICATION, now, null);
    // The request, its email and its audit record, together or not at all, in one call.
    core.dynamoDb()
        .transactWriteItems(
            b ->
                b.transactItems(
                    putNew(emailItem),
                    putNew(item),
                    core.audit()
                        .asTransactPut(
                            RequestItems.audit(
                                requestId,
                                null,
                                Action.CREATE,
                                withinLimit ? Outcome.SUCCESS : Outcome.DENIED,
                                httpRequestId))));
    if (withinLimit) {
      String secret =
          Base64.getEncoder()
              .encodeToString(
                  FieldSealer.seal(
                      key.key(),
                      new FieldAddress(RequestItems.LOGICAL_TABLE, pk, PrivacyRequestItems.CODE),
                      code.getBytes(StandardCharsets.UTF_8)));
      notifications.send(
          new Notifications.Notification(Template.VERIFICATION_CODE, null, requestId, secret));
    } else {
      Log.info("privacy request over the daily limit", "requestId", requestId);
    }
    return new Received(requestId, RequestStatus.PENDING_VERIFICATION.name());
  }

  /** A verified request of a signed-in account: the login verified the person, so no code. */
  record AccountRequest(Map<String, AttributeValue> item, String token) {}

  AccountRequest createForAccount(
      JsonNode body,
      String subjectId,
      String accountSubjectId,
      String email,
      String httpRequestId) {
    String requestId = RequestItems.newRequestId();
    Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    String regime = body.hasNonNull("regime") ? body.get("regime").asText() : "GDPR";
    String token = HexFormat.of().formatHex(RequestItems.randomBytes(32));
    RequestKeys.NewKey key = requestKeys.generate(requestId);
    Map<String, AttributeValue> item =
        newItem(
            requestId,
            body.get("type").asText(),
            regime,
            now,
            core.directory().emailIndex(email),
            key,
            body);
    item.put(PrivacyRequestItems.SUBJECT_ID, AttributeValue.fromS(subjectId));
    item.put(PrivacyRequestItems.VERIFIED_AT, AttributeValue.fromS(now.toString()));
    item.put(PrivacyRequestItems.TOKEN_HASH, AttributeValue.fromS(RequestItems.sha256(token)));
    if (!accountSubjectId.equals(subjectId)) {
      // The account's own subject (its profile) belongs to the same person: erased with them.
      item.put(PrivacyRequestItems.ACCOUNT_SUBJECT_ID, AttributeValue.fromS(accountSubjectId));
    }
    PrivacyRequestItems.begin(item, RequestStatus.VERIFIED, now, "signed-in account");
    // Verified by the login: the email is kept until the request is due, for its answer.
    Map<String, AttributeValue> emailItem =
        RequestEmails.item(requestId, key.key(), email, dueAt(regime, now).getEpochSecond());
    core.dynamoDb().transactWriteItems(b -> b.transactItems(putNew(emailItem), putNew(item)));
    core.audit()
        .record(
            RequestItems.audit(
                requestId, subjectId, Action.CREATE, Outcome.SUCCESS, httpRequestId));
    return new AccountRequest(item, token);
  }

  /** What every request item holds, whoever made it: the sealed parts under the request's key. */
  private Map<String, AttributeValue> newItem(
      String requestId,
      String type,
      String regime,
      Instant now,
      String emailIndex,
      RequestKeys.NewKey key,
      JsonNode body) {
    String pk = RequestItems.pk(requestId);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PrivacyRequestItems.PK, AttributeValue.fromS(pk));
    item.put(PrivacyRequestItems.REQUEST_ID_ATTRIBUTE, AttributeValue.fromS(requestId));
    item.put(PrivacyRequestItems.TYPE, AttributeValue.fromS(type));
    item.put(PrivacyRequestItems.REGIME, AttributeValue.fromS(regime));
    item.put(PrivacyRequestItems.RECEIVED_AT, AttributeValue.fromS(now.toString()));
    item.put(PrivacyRequestItems.DUE_AT, AttributeValue.fromS(dueAt(regime, now).toString()));
    item.put(PrivacyRequestItems.EMAIL_INDEX, AttributeValue.fromS(emailIndex));
    // The version of the policy in force when the request was made
    // (docs/architecture.md#privacy-policy-versions).
    item.put(PrivacyRequestItems.POLICY_VERSION, AttributeValue.fromS(policy.current()));
    item.put(
        PrivacyRequestItems.WRAPPED_KEY,
        AttributeValue.fromB(SdkBytes.fromByteArray(key.wrapped())));
    if (body.hasNonNull("corrections")) {
      item.put(
          PrivacyRequestItems.CORRECTIONS,
          RequestItems.sealed(
              key, pk, PrivacyRequestItems.CORRECTIONS, body.get("corrections").toString()));
    }
    if (body.hasNonNull("visitorIds")) {
      List<AttributeValue> ids = new ArrayList<>();
      body.get("visitorIds")
          .forEach(
              v -> ids.add(RequestItems.sealed(key, pk, "visitorId#" + ids.size(), v.asText())));
      item.put(PrivacyRequestItems.VISITOR_IDS, AttributeValue.fromL(ids));
    }
    item.put(
        RetentionRegistry.EXPIRES_AT,
        core.retention().expiresAtAttribute(DataClass.PRIVACY_REQUEST, now));
    return item;
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

  /** A code of six digits, leading zeros kept (without {@code String.format}'s cold start). */
  static String sixDigits(int code) {
    String digits = Integer.toString(code);
    return "000000".substring(digits.length()) + digits;
  }

  /** A put of a new item of the requests table: refused if the key is taken. */
  private TransactWriteItem putNew(Map<String, AttributeValue> newItem) {
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(newItem).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }
}
