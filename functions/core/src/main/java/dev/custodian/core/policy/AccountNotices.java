package dev.custodian.core.policy;

import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.SubjectKeyring;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Who hears of a material policy change, and who has heard: the account profile's email (sealed
 * under the account's key, stored while the identity provider vouches for it) and, on the same
 * item, the set of versions the account was told of. The mark is claimed with a conditional write
 * before the email goes and released if sending fails, so a redelivered or repeated page never
 * emails an account twice for one version. The profile's other attributes belong to the account
 * routes; these two are here so the notifier and the profile writer agree on them.
 */
public final class AccountNotices {

  /** The sealed email of the account (address: logical table "profiles", attribute "email"). */
  public static final String EMAIL = "email";

  /** The versions the account was emailed about (a string set). */
  public static final String NOTICES = "policyNotices";

  /** The logical table of the profile's sealed fields. */
  public static final String LOGICAL_TABLE = "profiles";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public AccountNotices(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  public static String pk(String subjectId) {
    return "profile#" + subjectId;
  }

  /** Where the email is sealed. */
  public static FieldAddress emailAddress(String subjectId) {
    return new FieldAddress(LOGICAL_TABLE, pk(subjectId), EMAIL);
  }

  private static Map<String, AttributeValue> key(String subjectId) {
    return Map.of("pk", AttributeValue.fromS(pk(subjectId)));
  }

  /** One page of accounts to tell, and where the next page starts (empty at the end). */
  public record Page(List<String> subjectIds, Optional<String> next) {}

  /**
   * The accounts of one scan page that have an email, are live and were not told of {@code
   * version}; {@code startAfter} is the last account of the page before (null for the first).
   */
  public Page page(String version, String startAfter, int limit, Instant now) {
    ScanResponse response =
        dynamoDb.scan(
            s -> {
              s.tableName(table)
                  .limit(limit)
                  .consistentRead(true)
                  .filterExpression(
                      "attribute_exists(#email) AND NOT contains(#notices, :v)"
                          + " AND (attribute_not_exists(expiresAt) OR expiresAt > :now)")
                  .projectionExpression("subjectId")
                  .expressionAttributeNames(Map.of("#email", EMAIL, "#notices", NOTICES))
                  .expressionAttributeValues(
                      Map.of(
                          ":v", AttributeValue.fromS(version),
                          ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))));
              if (startAfter != null) {
                s.exclusiveStartKey(key(startAfter));
              }
            });
    List<String> subjects = new ArrayList<>();
    for (Map<String, AttributeValue> item : response.items()) {
      if (item.containsKey("subjectId")) {
        subjects.add(item.get("subjectId").s());
      }
    }
    Optional<String> next =
        response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
            ? Optional.of(response.lastEvaluatedKey().get("pk").s().substring("profile#".length()))
            : Optional.empty();
    return new Page(subjects, next);
  }

  /**
   * Marks the account as told of {@code version}; false when it was told already, or has no live
   * profile with an email any more.
   */
  public boolean claim(String subjectId, String version, Instant now) {
    try {
      dynamoDb.updateItem(
          u ->
              u.tableName(table)
                  .key(key(subjectId))
                  .updateExpression("ADD #notices :set")
                  .conditionExpression(
                      "attribute_exists(#email) AND NOT contains(#notices, :v)"
                          + " AND (attribute_not_exists(expiresAt) OR expiresAt > :now)")
                  .expressionAttributeNames(Map.of("#email", EMAIL, "#notices", NOTICES))
                  .expressionAttributeValues(
                      Map.of(
                          ":set", AttributeValue.fromSs(List.of(version)),
                          ":v", AttributeValue.fromS(version),
                          ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))));
      return true;
    } catch (ConditionalCheckFailedException toldOrGone) {
      return false;
    }
  }

  /** Undoes a claim whose email could not be sent, so a retry sends it. */
  public void release(String subjectId, String version) {
    dynamoDb.updateItem(
        u ->
            u.tableName(table)
                .key(key(subjectId))
                .updateExpression("DELETE #notices :set")
                .expressionAttributeNames(Map.of("#notices", NOTICES))
                .expressionAttributeValues(
                    Map.of(":set", AttributeValue.fromSs(List.of(version)))));
  }

  /** The account's email, opened; empty when the profile or its email is gone. */
  public Optional<String> email(SubjectKeyring keyring, String subjectId) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(g -> g.tableName(table).key(key(subjectId)).consistentRead(true)).item();
    if (item == null || !item.containsKey(EMAIL)) {
      return Optional.empty();
    }
    return Optional.of(keyring.open(subjectId, emailAddress(subjectId), item.get(EMAIL)));
  }
}
