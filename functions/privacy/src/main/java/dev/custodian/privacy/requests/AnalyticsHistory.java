package dev.custodian.privacy.requests;

import dev.custodian.core.analytics.VisitorPseudonyms;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.dynamo.BatchWriter;
import dev.custodian.core.dynamo.Partitions;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Clears the browsing history of the visitor ids a request gives: their events are stored under the
 * visitors' pseudonyms, so each id is hashed as ingest hashed it and its partition deleted.
 */
final class AnalyticsHistory {

  private final DynamoDbClient dynamoDb;
  private final String eventsTable;
  private final BlindIndex pseudonyms;
  private final RequestKeys requestKeys;

  AnalyticsHistory(
      DynamoDbClient dynamoDb, String eventsTable, BlindIndex pseudonyms, RequestKeys requestKeys) {
    this.dynamoDb = dynamoDb;
    this.eventsTable = eventsTable;
    this.pseudonyms = pseudonyms;
    this.requestKeys = requestKeys;
  }

  /** The pseudonyms under which the request's visitor ids' events are stored. */
  List<String> pseudonyms(
      String requestId, SdkBytes wrappedKey, List<AttributeValue> sealedVisitorIds) {
    return requestKeys.visitorIds(requestId, wrappedKey, sealedVisitorIds).stream()
        .map(visitorId -> VisitorPseudonyms.of(pseudonyms, visitorId))
        .toList();
  }

  /** Deletes the events of the request's visitor ids; answers how many events went. */
  long clear(String requestId, SdkBytes wrappedKey, List<AttributeValue> sealedVisitorIds) {
    long deleted = 0;
    BatchWriter writer = new BatchWriter(dynamoDb);
    for (String visitorId : requestKeys.visitorIds(requestId, wrappedKey, sealedVisitorIds)) {
      String pk = "visitor#" + VisitorPseudonyms.of(pseudonyms, visitorId);
      deleted += Partitions.count(dynamoDb, eventsTable, pk, "event#");
      Partitions.delete(dynamoDb, writer, eventsTable, pk);
    }
    return deleted;
  }
}
