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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
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
    boolean pending = request.status() == RequestStatus.PENDING_VERIFICATION;
    int attempts = request.attempts();
    boolean expired =
        !item.containsKey(PrivacyRequestItems.CODE_EXPIRES_AT)
            || now.toEpochMilli()
                > Long.parseLong(item.get(PrivacyRequestItems.CODE_EXPIRES_AT).n());
    boolean right =
        slot.isPresent()
            && pending
            && !expired
            && item.containsKey(PrivacyRequestItems.CODE_HASH)
            && MessageDigest.isEqual(
                codeHash(requestId, code).getBytes(StandardCharsets.US_ASCII),
                item.get(PrivacyRequestItems.CODE_HASH).s().getBytes(StandardCharsets.US_ASCII));
    if (!right) {
      if (pending) {
        boolean last = attempts + 1 >= CODE_ATTEMPTS || expired;
        failAttempt(requestId, attempts, last, now);
        if (last) {
          RequestOutcomes.count(request.type().name(), RequestStatus.REJECTED.name());
        }
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
    try {
      core.dynamoDb()
          .transactWriteItems(
              b ->
                  b.transactItems(
                      markVerified(requestId, attempts, token, subjectId, accountSubjectId, now),
                      guesses.giveBack(slot.get()),
                      core.audit()
                          .asTransactPut(
                              RequestItems.audit(
                                  requestId,
                                  subjectId,
                                  Action.UPDATE,
                                  Outcome.SUCCESS,
                                  httpRequestId))));
    } catch (TransactionCanceledException usedMeanwhile) {
      // a concurrent attempt changed the request: this code counts as a wrong one
      throw codeRefused();
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

  private TransactWriteItem markVerified(
      String requestId,
      int attempts,
      String token,
      String subjectId,
      String accountSubjectId,
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
    return verified.transactItem(table);
  }

  /**
   * Counts a failed attempt; the last one rejects the request. Both are conditional on the count
   * read, and the rejection also on the request still pending: a right code verified concurrently
   * (the verification leaves the count as it was) is never turned into a rejection.
   */
  private void failAttempt(String requestId, int attempts, boolean last, Instant now) {
    AttributeValue read = AttributeValue.fromN(Integer.toString(attempts));
    AttributeValue next = AttributeValue.fromN(Integer.toString(attempts + 1));
    try {
      if (last) {
        core.dynamoDb()
            .updateItem(
                PrivacyRequestItems.move(
                        requestId,
                        RequestStatus.PENDING_VERIFICATION,
                        RequestStatus.REJECTED,
                        now,
                        "verification failed")
                    .when(PrivacyRequestItems.ATTEMPTS + " = :attempts", Map.of(":attempts", read))
                    .set(PrivacyRequestItems.ATTEMPTS, next)
                    // Nothing more will be sent: the email and its key go now.
                    .remove(
                        PrivacyRequestItems.CODE_HASH,
                        PrivacyRequestItems.CODE_EXPIRES_AT,
                        PrivacyRequestItems.WRAPPED_KEY)
                    .request(table));
        emails.forget(requestId);
      } else {
        core.dynamoDb()
            .updateItem(
                b ->
                    b.tableName(table)
                        .key(RequestItems.key(requestId))
                        .conditionExpression(PrivacyRequestItems.ATTEMPTS + " = :attempts")
                        .updateExpression("SET " + PrivacyRequestItems.ATTEMPTS + " = :next")
                        .expressionAttributeValues(Map.of(":attempts", read, ":next", next)));
      }
    } catch (ConditionalCheckFailedException concurrentAttempt) {
      // another attempt counted first, or a right code verified the request: this one is refused
    }
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
