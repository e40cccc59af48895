package dev.custodian.privacy.requests;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.log.Log;
import dev.custodian.core.requests.RequestEmails;
import dev.custodian.core.requests.RequestOutcomes;
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
        item.containsKey("emailIndex")
            ? guesses.take(item.get("emailIndex").s(), now)
            : Optional.empty();
    boolean pending = "PENDING_VERIFICATION".equals(RequestItems.s(item, "status"));
    int attempts = item.containsKey("attempts") ? Integer.parseInt(item.get("attempts").n()) : 0;
    boolean expired =
        !item.containsKey("codeExpiresAt")
            || now.toEpochMilli() > Long.parseLong(item.get("codeExpiresAt").n());
    boolean right =
        slot.isPresent()
            && pending
            && !expired
            && item.containsKey("codeHash")
            && MessageDigest.isEqual(
                codeHash(requestId, code).getBytes(StandardCharsets.US_ASCII),
                item.get("codeHash").s().getBytes(StandardCharsets.US_ASCII));
    if (!right) {
      if (pending) {
        boolean last = attempts + 1 >= CODE_ATTEMPTS || expired;
        failAttempt(requestId, attempts, last, now);
        if (last) {
          RequestOutcomes.count(item.get("type").s(), "REJECTED");
        }
      }
      core.audit()
          .record(RequestItems.audit(requestId, null, Action.READ, Outcome.DENIED, httpRequestId));
      throw codeRefused();
    }
    // Only now, for the mailbox's verified owner, is it looked up whether anything is held: the
    // subject of the address and the account that signed in with it (one person, reached by both).
    String emailIndex = item.get("emailIndex").s();
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
    emails.keepUntil(requestId, Instant.parse(item.get("dueAt").s()), now);
    Map<String, AttributeValue> verified = new HashMap<>(item);
    if (accountSubjectId != null) {
      verified.put("accountSubjectId", AttributeValue.fromS(accountSubjectId));
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
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":pending", AttributeValue.fromS("PENDING_VERIFICATION"));
    values.put(":attempts", AttributeValue.fromN(Integer.toString(attempts)));
    values.put(":verified", AttributeValue.fromS("VERIFIED"));
    values.put(":now", AttributeValue.fromS(now.toString()));
    values.put(":token", AttributeValue.fromS(RequestItems.sha256(token)));
    values.put(
        ":entry", AttributeValue.fromL(List.of(RequestItems.historyEntry("VERIFIED", now, null))));
    if (subjectId != null) {
      values.put(":subject", AttributeValue.fromS(subjectId));
    }
    if (accountSubjectId != null) {
      values.put(":account", AttributeValue.fromS(accountSubjectId));
    }
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(RequestItems.key(requestId))
                    .conditionExpression(
                        "#s = :pending AND attempts = :attempts AND attribute_exists(codeHash)")
                    .updateExpression(
                        "SET #s = :verified, verifiedAt = :now, tokenHash = :token,"
                            + (subjectId == null ? "" : " subjectId = :subject,")
                            + (accountSubjectId == null ? "" : " accountSubjectId = :account,")
                            + " history = list_append(history, :entry)"
                            + " REMOVE codeHash, codeExpiresAt")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(values))
        .build();
  }

  private void failAttempt(String requestId, int attempts, boolean last, Instant now) {
    try {
      if (last) {
        core.dynamoDb()
            .updateItem(
                b ->
                    b.tableName(table)
                        .key(RequestItems.key(requestId))
                        .conditionExpression("attempts = :attempts")
                        .updateExpression(
                            "SET #s = :rejected, attempts = :next,"
                                + " history = list_append(history, :entry)"
                                // Nothing more will be sent: the email and its key go now.
                                + " REMOVE codeHash, codeExpiresAt, wrappedKey")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(
                            Map.of(
                                ":attempts", AttributeValue.fromN(Integer.toString(attempts)),
                                ":next", AttributeValue.fromN(Integer.toString(attempts + 1)),
                                ":rejected", AttributeValue.fromS("REJECTED"),
                                ":entry",
                                    AttributeValue.fromL(
                                        List.of(
                                            RequestItems.historyEntry(
                                                "REJECTED", now, "verification failed"))))));
        emails.forget(requestId);
      } else {
        core.dynamoDb()
            .updateItem(
                b ->
                    b.tableName(table)
                        .key(RequestItems.key(requestId))
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
