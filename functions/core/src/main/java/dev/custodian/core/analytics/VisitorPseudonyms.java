package dev.custodian.core.analytics;

import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.KmsDataKeys;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The pseudonyms under which analytics keeps a visitor's events: a blind index of the visitor id
 * with a secret of its own, separate from the subject lookups'. Ingest hashes a visitor id so, and
 * the privacy function and the erasure worker hash the ids a person gives with a request the same
 * way, to find that visitor's events; so the index's name and the hashing live here, once.
 */
public final class VisitorPseudonyms {

  /** The blind-index secret of analytics pseudonyms (the IAM policy names it too). */
  public static final String INDEX = "analytics-pseudonym";

  private static final String DOMAIN = "visitor";

  private VisitorPseudonyms() {}

  /** The blind index of the pseudonyms, its secret kept in the subjects table. */
  public static BlindIndex index(
      KmsDataKeys kms,
      DynamoDbClient dynamoDb,
      String subjectsTable,
      String dataKeyId,
      Clock clock) {
    return new BlindIndex(kms, dynamoDb, subjectsTable, dataKeyId, INDEX, clock);
  }

  /** The pseudonym of a visitor id. */
  public static String of(BlindIndex index, String visitorId) {
    return index.of(DOMAIN, visitorId);
  }
}
