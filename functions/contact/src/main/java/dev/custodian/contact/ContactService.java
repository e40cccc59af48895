package dev.custodian.contact;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.email;
import static dev.custodian.core.validation.Types.matching;
import static dev.custodian.core.validation.Types.multiline;
import static dev.custodian.core.validation.Types.oneOf;
import static dev.custodian.core.validation.Types.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.dynamo.Cancellations;
import dev.custodian.core.dynamo.WindowCounter;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.log.Log;
import dev.custodian.core.notify.Notifications;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.subjects.SubjectDirectory;
import dev.custodian.core.validation.Schema;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Support messages: stored sealed under the sender's key for the contact-message retention,
 * acknowledged by email through the notifier, read by operators for support only (audited).
 */
final class ContactService {

  private final PolicyStamp policy;

  /** The table's name in sealed values' associated data. */
  static final String LOGICAL_TABLE = "contact";

  static final Pattern TICKET_ID = Pattern.compile("t_[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  static final Schema MESSAGE =
      object()
          .required("email", email())
          .optional("name", string(1, 200))
          .required("topic", oneOf("ORDER", "PRIVACY", "PRODUCT", "OTHER"))
          .required("message", multiline(1, 5000))
          .optional("orderId", matching(34, 34, "o_[0-9a-f]{32}", "an order id"))
          .required("policyVersion", matching(1, 32, "[A-Za-z0-9._-]+", "a privacy policy version"))
          // The honeypot: hidden from people by the website, filled in by bots.
          .optional("website", string(0, 500));

  private final PrivacyCore core;
  private final String table;
  private final Notifications notifications;
  private final int perHour;

  ContactService(
      PrivacyCore core,
      String table,
      Notifications notifications,
      int perHour,
      PolicyStamp policy) {
    this.policy = policy;
    this.core = core;
    this.table = table;
    this.notifications = notifications;
    this.perHour = perHour;
  }

  /** Takes a message; answers its ticket id (also, indistinguishably, for a bot's). */
  String submit(JsonNode body, String requestId) {
    String ticketId = "t_" + HexFormat.of().formatHex(randomBytes(16));
    JsonNode honeypot = body.get("website");
    if (honeypot != null && !honeypot.asText().isEmpty()) {
      Log.info("contact message dropped", "reason", "honeypot");
      return ticketId;
    }
    String email = body.get("email").asText();
    Instant now = core.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    String senderIndex = core.directory().emailIndex(email);
    String subjectId = null;
    for (int attempt = 0; subjectId == null; attempt++) {
      // One transaction: the message, its audit record, the sender's hourly count (which cancels
      // it past the limit) and the check that the email still belongs to the subject.
      SubjectDirectory.Resolved subject =
          core.directory().resolveEmail(email, DataClass.CONTACT_MESSAGE);
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(messageItem(ticketId, subject.subjectId(), body, email, now));
      writes.add(
          core.audit()
              .asTransactPut(
                  new AuditRecord(
                      Actor.customer(ticketId),
                      Action.CREATE,
                      DataClass.CONTACT_MESSAGE,
                      ticketId,
                      subject.subjectId(),
                      Purpose.SUPPORT,
                      Outcome.SUCCESS,
                      requestId)));
      writes.add(
          new WindowCounter(core.dynamoDb(), table)
              .asTransactUpdate(senderIndex, hour, perHour, hour.plusSeconds(7200)));
      writes.add(subject.stillCurrent());
      try {
        core.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
        subjectId = subject.subjectId();
      } catch (TransactionCanceledException e) {
        if (Cancellations.conditionFailedAt(e, 2)) {
          throw new ApiException(
              ErrorCode.TOO_MANY_REQUESTS,
              "Too many messages from this sender; please try again in an hour.");
        }
        if (!Cancellations.conditionFailedAt(e, 3) || attempt > 0) {
          throw e;
        }
        core.directory().forgetEmail(email); // erased meanwhile, or its lookup expired
      }
    }
    notifications.send(
        new Notifications.Notification(
            Notifications.Template.CONTACT_RECEIPT, subjectId, ticketId));
    Log.info("contact message stored", "ticketId", ticketId);
    return ticketId;
  }

  /** The message, sealed under the sender's key, as a conditional put. */
  private TransactWriteItem messageItem(
      String ticketId, String subjectId, JsonNode body, String email, Instant now) {
    String pk = "ticket#" + ticketId;
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk));
    item.put("ticketId", AttributeValue.fromS(ticketId));
    item.put("subjectId", AttributeValue.fromS(subjectId));
    item.put("topic", AttributeValue.fromS(body.get("topic").asText()));
    // The version in force when the message was sent, as the server knows it; the client's
    // policyVersion is checked for form only (a page may show an older version than is in force).
    item.put("policyVersion", AttributeValue.fromS(policy.current()));
    item.put("createdAt", AttributeValue.fromS(now.toString()));
    if (body.hasNonNull("orderId")) {
      item.put("orderId", AttributeValue.fromS(body.get("orderId").asText()));
    }
    item.put("email", core.keyring().seal(subjectId, address(pk, "email"), email));
    if (body.hasNonNull("name")) {
      item.put(
          "name", core.keyring().seal(subjectId, address(pk, "name"), body.get("name").asText()));
    }
    item.put(
        "message",
        core.keyring().seal(subjectId, address(pk, "message"), body.get("message").asText()));
    item.put(
        RetentionRegistry.EXPIRES_AT,
        core.retention().expiresAtAttribute(DataClass.CONTACT_MESSAGE, now));
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  /** An operator reads a message, for support only; the read is audited. */
  Map<String, Object> read(String ticketId, String operator, String requestId) {
    if (!TICKET_ID.matcher(ticketId).matches()) {
      throw ApiException.notFound();
    }
    String pk = "ticket#" + ticketId;
    Map<String, AttributeValue> item =
        core.liveItem(table, Map.of("pk", AttributeValue.fromS(pk)))
            .orElseThrow(ApiException::notFound);
    String subjectId = item.get("subjectId").s();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ticketId", ticketId);
    out.put("topic", item.get("topic").s());
    if (item.containsKey("orderId")) {
      out.put("orderId", item.get("orderId").s());
    }
    out.put("createdAt", item.get("createdAt").s());
    out.put("policyVersion", item.get("policyVersion").s());
    try {
      out.put("email", core.keyring().open(subjectId, address(pk, "email"), item.get("email")));
      if (item.containsKey("name")) {
        out.put("name", core.keyring().open(subjectId, address(pk, "name"), item.get("name")));
      }
      out.put(
          "message", core.keyring().open(subjectId, address(pk, "message"), item.get("message")));
    } catch (SubjectErasedException | FieldSealer.SealBrokenException gone) {
      throw ApiException.notFound();
    }
    core.audit()
        .record(
            new AuditRecord(
                Actor.operator(operator),
                Action.READ,
                DataClass.CONTACT_MESSAGE,
                ticketId,
                subjectId,
                Purpose.SUPPORT,
                Outcome.SUCCESS,
                requestId));
    return out;
  }

  private static FieldAddress address(String pk, String attribute) {
    return new FieldAddress(LOGICAL_TABLE, pk, attribute);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
