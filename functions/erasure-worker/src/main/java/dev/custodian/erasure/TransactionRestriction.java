package dev.custodian.erasure;

import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.orders.OrderUpdates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Restricts an erased subject's transaction records in place (docs/privacy.md#erasure): the record
 * stays for the accounts the law requires — items, amounts, currency, dates, status and its
 * history, and its own {@code expiresAt}, byte for byte — and loses only what points at the person:
 * the sealed payment reference, the sealed operator notes of its history, and the {@code
 * subjectId}.
 *
 * <p>The subject id goes because a restricted record must not be processed with the person's other
 * data any more (Art. 18 GDPR): the id is the join key to the audit trail, the tombstone and any
 * restored copy of the person's data, and the tax purpose needs the order, not the person. Without
 * it the record also leaves the table's {@code bySubject} index, so no customer route, export or
 * rectification can reach it, and a resumed erasure finds only the records not yet restricted.
 *
 * <p>Cost: one TransactWriteItems per 100 records, after a read of them (which history entries
 * carry a sealed note) that the erasure makes along with its other reads. Each update is
 * conditioned on the record still belonging to the subject and its history being the one read, so
 * it never recreates a record TTL deleted meanwhile and never leaves a note added meanwhile; a
 * cancelled chunk is read again and retried.
 */
final class TransactionRestriction {

  private static final int CHUNK = 100;
  private static final int ATTEMPTS = 4;

  private final DynamoDbClient dynamoDb;
  private final String table;

  TransactionRestriction(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  /**
   * Restricts the records with these keys, where they still belong to the subject. {@code read}
   * holds the records as {@link OrderUpdates#restrictionShape()} reads them when the caller has
   * read them already (else null); a chunk is read (again) when it is not there or an update of it
   * was cancelled.
   */
  void restrict(
      String subjectId,
      List<Map<String, AttributeValue>> keys,
      List<Map<String, AttributeValue>> read) {
    for (int from = 0; from < keys.size(); from += CHUNK) {
      List<Map<String, AttributeValue>> chunk =
          keys.subList(from, Math.min(keys.size(), from + CHUNK));
      restrictChunk(subjectId, chunk, read == null ? null : among(read, chunk));
    }
  }

  private static List<Map<String, AttributeValue>> among(
      List<Map<String, AttributeValue>> records, List<Map<String, AttributeValue>> keys) {
    java.util.Set<Map<String, AttributeValue>> wanted = new java.util.HashSet<>();
    keys.forEach(k -> wanted.add(OrderItems.primaryKey(k)));
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    for (Map<String, AttributeValue> record : records) {
      if (wanted.contains(OrderItems.primaryKey(record))) {
        out.add(record);
      }
    }
    return out;
  }

  private void restrictChunk(
      String subjectId,
      List<Map<String, AttributeValue>> keys,
      List<Map<String, AttributeValue>> alreadyRead) {
    List<Map<String, AttributeValue>> records = alreadyRead;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (records == null) {
        records = read(keys);
      }
      List<TransactWriteItem> updates = new ArrayList<>();
      for (Map<String, AttributeValue> record : records) {
        if (OrderUpdates.heldBy(record, subjectId)) {
          updates.add(OrderUpdates.restriction(table, subjectId, record));
        }
      }
      if (updates.isEmpty()) {
        return;
      }
      try {
        dynamoDb.transactWriteItems(b -> b.transactItems(updates));
        return;
      } catch (TransactionCanceledException e) {
        if (!Cancellations.any(e, Cancellations.CONDITION_FAILED)
            && !Cancellations.any(e, Cancellations.CONFLICT)) {
          throw e;
        }
        records = null; // a record changed, expired or was restricted meanwhile: read it again
      }
    }
    throw new IllegalStateException("transaction records kept changing while being restricted");
  }

  /** The records (one BatchGetItem per 100 keys). */
  private List<Map<String, AttributeValue>> read(List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, KeysAndAttributes> request =
        Map.of(table, OrderUpdates.restrictionShape().keys(keys).build());
    while (!request.isEmpty()) {
      Map<String, KeysAndAttributes> asked = request;
      BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(asked));
      out.addAll(response.responses().getOrDefault(table, List.of()));
      request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
    }
    return out;
  }
}
