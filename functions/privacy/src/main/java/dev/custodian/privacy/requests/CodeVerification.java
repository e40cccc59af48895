package dev.custodian.privacy.requests;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.log.Log;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.core.requests.RequestOutcomes;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.requests.StatusChange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Verifies a request with the code emailed for it: 6 digits, {@link #CODE_LIFE}, {@link
 * #CODE_ATTEMPTS} attempts per request, single use, stored only as a keyed hash; and at most {@link
 * GuessLimit#LIMIT} wrong codes per address a day across all its requests. Every refusal — wrong,
 * expired, used, never emailed, or the address over its limit — gets the same answer.
 */
final class CodeVerification {

  static final Duration CODE_LIFE = Duration.ofMinutes(10);
  static final int CODE_ATTEMPTS = 3;

  private final PrivacyCore core;
  private final String table;
  private final GuessLimit guesses;
  private final RequestEmails emails;

  CodeVerification(PrivacyCore core, String table) {
    this.core = core;
    this.table = table;
    this.guesses = new GuessLimit(core.dynamoDb(), table);
    this.emails = new RequestEmails(core.dynamoDb(), table);
  }

  /** A verified request: its item as it was read, and the token shown once to its holder. */
  record Verification(Map<String, AttributeValue> item, String subjectId, String token) {}

  Verification verify(String requestId, String code, String httpRequestId) {
    Map<String, AttributeValue> item = RequestItems.load(core, table, requestId);
    Instant now = core.clock().instant();
    // The guess is counted before its code is compared: concurrent guesses cannot overtake the cap.
    Optional<GuessLimit.Slot> slot =
        item.containsKey(PrivacyRequestItems.EMAIL_INDEX)
            ? guesses.take(item.get(PrivacyRequestItems.EMAIL_INDEX).s(), now)
            : Optional.empty();
    PrivacyRequest request = PrivacyRequestItems.read(item);
    if (slot.isEmpty() || !matches(requestId, code, item, now)) {
      if (request.status() == RequestStatus.PENDING_VERIFICATION) {
        failAttempt(request, requestId, expired(item, now), now);
      }
      core.audit()
          .record(RequestItems.audit(requestId, null, Action.READ, Outcome.DENIED, httpRequestId));
      throw codeRefused();
    }
    // Only now, for the mailbox's verified owner, is it looked up whether anything is held: the
    // subject of the address and the account that signed in with it (one person, reached by both).
    String emailIndex = item.get(PrivacyRequestItems.EMAIL_INDEX).s();
    String emailSubject = core.directory().findByEmailIndex(emailIndex).orElse(null);
    List<String> accounts = core.directory().linkedAccounts(emailIndex);
    String account = accounts.isEmpty() ? null : accounts.get(0);
    String subjectId = emailSubject != null ? emailSubject : account;
    String accountSubjectId = account != null && !account.equals(subjectId) ? account : null;
    String token = HexFormat.of().formatHex(RequestItems.randomBytes(32));
    // A race is lost to a wrong code counted meanwhile (at most CODE_ATTEMPTS of them), or ends.
    for (int tries = 0; ; tries++) {
      try {
        core.dynamoDb()
            .transactWriteItems(
                markVerified(
                    requestId,
                    PrivacyRequestItems.read(item).attempts(),
                    token,
                    subjectId,
                    accountSubjectId,
                    slot.get(),
                    httpRequestId,
                    now));
        break;
      } catch (TransactionCanceledException changedMeanwhile) {
        // A wrong code counted meanwhile moved the count this is conditional on: the right code is
        // tried again on the request as it is now, unless that was its last attempt, or another
        // right code verified it (one token per request).
        item = core.liveItem(table, RequestItems.key(requestId)).orElse(Map.of());
        if (tries >= CODE_ATTEMPTS || !matches(requestId, code, item, now)) {
          throw codeRefused();
        }
      }
    }
    Log.info("privacy request verified", "requestId", requestId);
    // The mailbox is verified: its email stays until the request is due, for the answer's email.
    emails.keepUntil(requestId, Instant.parse(item.get(PrivacyRequestItems.DUE_AT).s()), now);
    Map<String, AttributeValue> verified = new HashMap<>(item);
    if (accountSubjectId != null) {
      verified.put(PrivacyRequestItems.ACCOUNT_SUBJECT_ID, AttributeValue.fromS(accountSubjectId));
    }
    return new Verification(verified, subjectId, token);
  }

  /** Whether {@code code} verifies the request as {@code item} holds it: pending, live, unspent. */
  private boolean matches(
      String requestId, String code, Map<String, AttributeValue> item, Instant now) {
    if (!item.containsKey(PrivacyRequestItems.CODE_HASH) || expired(item, now)) {
      return false;
    }
    PrivacyRequest request = PrivacyRequestItems.read(item);
    return request.status() == RequestStatus.PENDING_VERIFICATION
        && request.attempts() < CODE_ATTEMPTS
        && MessageDigest.isEqual(
            codeHash(requestId, code).getBytes(StandardCharsets.US_ASCII),
            item.get(PrivacyRequestItems.CODE_HASH).s().getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean expired(Map<String, AttributeValue> item, Instant now) {
    return !item.containsKey(PrivacyRequestItems.CODE_EXPIRES_AT)
        || now.toEpochMilli() > Long.parseLong(item.get(PrivacyRequestItems.CODE_EXPIRES_AT).n());
  }

  /**
   * Verifies the request, conditional on the count of wrong codes read, gives the guess back and
   * records it, in one transaction.
   */
  private TransactWriteItemsRequest markVerified(
      String requestId,
      int attempts,
      String token,
      String subjectId,
      String accountSubjectId,
      GuessLimit.Slot slot,
      String httpRequestId,
      Instant now) {
    StatusChange verified =
        PrivacyRequestItems.move(
                requestId, RequestStatus.PENDING_VERIFICATION, RequestStatus.VERIFIED, now, null)
            .when(
                PrivacyRequestItems.ATTEMPTS
                    + " = :attempts AND attribute_exists("
                    + PrivacyRequestItems.CODE_HASH
                    + ")",
                Map.of(":attempts", AttributeValue.fromN(Integer.toString(attempts))))
            .set(PrivacyRequestItems.VERIFIED_AT, AttributeValue.fromS(now.toString()))
            .set(PrivacyRequestItems.TOKEN_HASH, AttributeValue.fromS(RequestItems.sha256(token)))
            .remove(PrivacyRequestItems.CODE_HASH, PrivacyRequestItems.CODE_EXPIRES_AT);
    if (subjectId != null) {
      verified.set(PrivacyRequestItems.SUBJECT_ID, AttributeValue.fromS(subjectId));
    }
    if (accountSubjectId != null) {
      verified.set(PrivacyRequestItems.ACCOUNT_SUBJECT_ID, AttributeValue.fromS(accountSubjectId));
    }
    return TransactWriteItemsRequest.builder()
        .transactItems(
            verified.transactItem(table),
            guesses.giveBack(slot),
            core.audit()
                .asTransactPut(
                    RequestItems.audit(
                        requestId, subjectId, Action.UPDATE, Outcome.SUCCESS, httpRequestId)))
        .build();
  }

  /**
   * Counts a wrong code, atomically: concurrent wrong codes are each counted, up to {@link
   * #CODE_ATTEMPTS}. The one that reaches it, or comes after it, or came too late for the code,
   * rejects the request — conditional on the request still pending: a right code verified
   * concurrently is never turned into a rejection.
   */
  private void failAttempt(PrivacyRequest request, String requestId, boolean expired, Instant now) {
    boolean last;
    try {
      Map<String, AttributeValue> counted =
          core.dynamoDb()
              .updateItem(PrivacyRequestItems.wrongCode(table, requestId, CODE_ATTEMPTS))
              .attributes();
      last =
          expired
              || Integer.parseInt(counted.get(PrivacyRequestItems.ATTEMPTS).n()) >= CODE_ATTEMPTS;
    } catch (ConditionalCheckFailedException notCounted) {
      // no longer pending (the rejection below is then refused too), or out of attempts already
      last = true;
    }
    if (!last) {
      return;
    }
    try {
      core.dynamoDb()
          .updateItem(
              PrivacyRequestItems.move(
                      requestId,
                      RequestStatus.PENDING_VERIFICATION,
                      RequestStatus.REJECTED,
                      now,
                      "verification failed")
                  // Nothing more will be sent: the email and its key go now.
                  .remove(
                      PrivacyRequestItems.CODE_HASH,
                      PrivacyRequestItems.CODE_EXPIRES_AT,
                      PrivacyRequestItems.WRAPPED_KEY)
                  .request(table));
    } catch (ConditionalCheckFailedException verifiedOrRejectedMeanwhile) {
      return;
    }
    emails.forget(requestId);
    RequestOutcomes.count(request.type().name(), RequestStatus.REJECTED.name());
  }

  /** The keyed hash a request stores instead of its code. */
  String codeHash(String requestId, String code) {
    return core.index().of("privacy-code", requestId + ":" + code);
  }

  static ApiException codeRefused() {
    return new ApiException(
        ErrorCode.VALIDATION_FAILED,
        "The code is not valid for this request.",
        List.of(new ApiException.FieldProblem("code", "is wrong, expired or already used")));
  }
}
