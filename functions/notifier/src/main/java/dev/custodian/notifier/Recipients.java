package dev.custodian.notifier;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.RequestKeys;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestEmails;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Finds the address (and any sealed secret) of a notification from the record it names, opening
 * them only here: the queue carries ids, never addresses. A record that is gone, or whose key has
 * been shredded, has no recipient any more.
 */
final class Recipients {

  /** Where to send, and the secret to put in the email (a verification code), if any. */
  /**
   * Where an email goes, and whose address it is ({@code subjectId} null for a request not yet tied
   * to a person).
   */
  record Recipient(String address, String secret, String subjectId) {}

  private final PrivacyCore core;
  private final RequestKeys requestKeys;
  private final Map<String, String> tables;

  /**
   * @param tables by record kind: "request", "ticket", "order"
   */
  Recipients(PrivacyCore core, RequestKeys requestKeys, Map<String, String> tables) {
    this.core = core;
    this.requestKeys = requestKeys;
    this.tables = tables;
  }

  Optional<Recipient> of(String recordId, String sealedSecret) {
    try {
      if (recordId.startsWith("r_")) {
        return request(recordId, sealedSecret);
      }
      if (recordId.startsWith("t_")) {
        return subjectSealed(
            tables.get("ticket"),
            Map.of("pk", AttributeValue.fromS("ticket#" + recordId)),
            "contact",
            "ticket#" + recordId);
      }
      if (recordId.startsWith("o_")) {
        return orderContact(recordId);
      }
      return Optional.empty();
    } catch (SubjectErasedException | FieldSealer.SealBrokenException gone) {
      return Optional.empty();
    }
  }

  private Optional<Recipient> request(String requestId, String sealedSecret) {
    String pk = PrivacyRequestItems.pk(requestId);
    Optional<Map<String, AttributeValue>> item =
        live(tables.get("request"), PrivacyRequestItems.key(requestId));
    if (item.isEmpty() || !item.get().containsKey(PrivacyRequestItems.WRAPPED_KEY)) {
      return Optional.empty();
    }
    // The email is an item of its own that expires early: gone, or expired, means no recipient.
    Optional<byte[]> email =
        new RequestEmails(core.dynamoDb(), tables.get("request"))
            .sealed(requestId, core.clock().instant());
    if (email.isEmpty()) {
      return Optional.empty();
    }
    SecretKey key =
        requestKeys.unwrap(requestId, item.get().get(PrivacyRequestItems.WRAPPED_KEY).b());
    String address = RequestEmails.open(key, requestId, email.get());
    String secret =
        sealedSecret == null
            ? null
            : open(
                key,
                PrivacyRequestItems.LOGICAL_TABLE,
                pk,
                PrivacyRequestItems.CODE,
                Base64.getDecoder().decode(sealedSecret));
    AttributeValue subject = item.get().get(PrivacyRequestItems.SUBJECT_ID);
    return Optional.of(new Recipient(address, secret, subject == null ? null : subject.s()));
  }

  /** The address of an order's contact data, while it is held. */
  private Optional<Recipient> orderContact(String orderId) {
    return live(tables.get("order"), OrderItems.contactKey(orderId))
        .map(OrderItems::contact)
        .filter(contact -> contact.email() != null)
        .map(
            contact ->
                sealedTo(
                    contact.subjectId(), OrderItems.Sealed.EMAIL.at(orderId), contact.email()));
  }

  private Optional<Recipient> subjectSealed(
      String table, Map<String, AttributeValue> key, String logicalTable, String itemKey) {
    Optional<Map<String, AttributeValue>> item = live(table, key);
    if (item.isEmpty() || !item.get().containsKey("email")) {
      return Optional.empty();
    }
    return Optional.of(
        sealedTo(
            item.get().get("subjectId").s(),
            new FieldAddress(logicalTable, itemKey, "email"),
            item.get().get("email")));
  }

  /** A recipient whose address is sealed under its subject's key. */
  private Recipient sealedTo(String subjectId, FieldAddress address, AttributeValue sealed) {
    return new Recipient(core.keyring().open(subjectId, address, sealed), null, subjectId);
  }

  private Optional<Map<String, AttributeValue>> live(
      String table, Map<String, AttributeValue> key) {
    return core.liveItem(table, key);
  }

  private static String open(
      SecretKey key, String table, String pk, String attribute, byte[] sealed) {
    return new String(
        FieldSealer.open(key, new FieldAddress(table, pk, attribute), sealed),
        StandardCharsets.UTF_8);
  }
}
