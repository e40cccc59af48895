package dev.custodian.analytics;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.matching;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.analytics.VisitorPseudonyms;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.AuditTrail;
import dev.custodian.core.crypto.BlindIndex;
import dev.custodian.core.dynamo.BatchWriter;
import dev.custodian.core.dynamo.Partitions;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.log.Log;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.validation.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@code POST /events/forget}: a visitor's events and visitor-day markers go at once. The visitor
 * id is a secret only the visitor's browser holds, so it needs no account and no email; the answer
 * is the same whether anything was found. At most {@value #PER_HOUR} a visitor an hour (a counter
 * under the pseudonym that expires by itself); the audit record names no visitor, not even by
 * pseudonym.
 */
final class VisitorForgetting {

  static final Schema FORGET =
      object().required("visitorId", matching(8, 128, "[A-Za-z0-9_-]+", "an opaque id"));
  static final int PER_HOUR = 5;

  /** The answer, whatever was found. */
  record Forgotten(boolean accepted) {}

  private final DynamoDbClient dynamoDb;
  private final String eventsTable;
  private final Supplier<BlindIndex> pseudonyms;
  private final AuditTrail audit;
  private final BatchWriter writer;
  private final Clock clock;

  VisitorForgetting(
      DynamoDbClient dynamoDb,
      String eventsTable,
      Supplier<BlindIndex> pseudonyms,
      AuditTrail audit,
      Clock clock) {
    this.dynamoDb = dynamoDb;
    this.eventsTable = eventsTable;
    this.pseudonyms = pseudonyms;
    this.audit = audit;
    this.writer = new BatchWriter(dynamoDb);
    this.clock = clock;
  }

  Forgotten forget(JsonNode body, String httpRequestId) {
    Instant now = clock.instant();
    String visitor = VisitorPseudonyms.of(pseudonyms.get(), body.get("visitorId").asText());
    countOrRefuse(visitor, now);
    // Ingest stores a visitor's events and day markers in one partition: all of it goes.
    Partitions.delete(dynamoDb, writer, eventsTable, "visitor#" + visitor);
    audit.record(
        new AuditRecord(
            Actor.customer("visitor"),
            Action.DELETE,
            DataClass.ANALYTICS_EVENT,
            "forget-" + httpRequestId,
            null,
            Purpose.STATISTICS,
            Outcome.SUCCESS,
            httpRequestId));
    Log.info("visitor history forgotten");
    return new Forgotten(true);
  }

  /** One more for this visitor this hour, or 429. The counter expires with its hour. */
  private void countOrRefuse(String visitor, Instant now) {
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    try {
      dynamoDb.updateItem(
          b ->
              b.tableName(eventsTable)
                  .key(
                      Map.of(
                          "pk", AttributeValue.fromS("forget#" + visitor),
                          "sk", AttributeValue.fromS("hour#" + hour.getEpochSecond())))
                  .updateExpression("ADD hits :one SET #expires = :expires")
                  .conditionExpression("attribute_not_exists(hits) OR hits < :limit")
                  .expressionAttributeNames(Map.of("#expires", RetentionRegistry.EXPIRES_AT))
                  .expressionAttributeValues(
                      Map.of(
                          ":one", AttributeValue.fromN("1"),
                          ":limit", AttributeValue.fromN(Integer.toString(PER_HOUR)),
                          ":expires",
                              AttributeValue.fromN(
                                  Long.toString(
                                      hour.plus(Duration.ofHours(2)).getEpochSecond())))));
    } catch (ConditionalCheckFailedException limitReached) {
      throw new ApiException(
          ErrorCode.TOO_MANY_REQUESTS, "Too many requests for this visitor; try again later.");
    }
  }
}
