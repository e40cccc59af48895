package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.Disclosure;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.json.Json;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.processors.Processor;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.retention.RetentionRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What an access export shows (Art. 15 GDPR): the subject's orders with their contact data, contact
 * messages, the analytics events of the visitor ids given, earlier requests and the account
 * profile, each opened with the subject's key at the address its writer used; and the information
 * every export carries.
 */
public final class ExportContents {

  private final PrivacyCore core;
  private final SubjectRecords records;

  public ExportContents(PrivacyCore core, SubjectRecords records) {
    this.core = core;
    this.records = records;
  }

  /**
   * Everything held about the subject (null: an address that is not known, so only the given
   * visitors' events), plus the profile of the same person's account when there is one.
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> data(String subjectId, String accountSubjectId, List<String> visitors) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orders", subjectId == null ? List.of() : orders(subjectId));
    data.put("contactMessages", subjectId == null ? List.of() : messages(subjectId));
    data.put("analyticsEvents", analyticsEvents(visitors));
    data.put("privacyRequests", subjectId == null ? List.of() : requests(subjectId));
    Map<String, Object> profile = subjectId == null ? null : profile(subjectId);
    if (profile == null && accountSubjectId != null) {
      // the account of the same person: its profile is theirs too
      profile = profile(accountSubjectId);
    }
    if (profile != null) {
      data.put("profile", profile);
    }
    if (subjectId != null || accountSubjectId != null) {
      List<Disclosure.Shown> disclosures = new ArrayList<>();
      for (String id :
          new java.util.LinkedHashSet<>(java.util.Arrays.asList(subjectId, accountSubjectId))) {
        if (id != null) {
          disclosures.addAll(core.audit().disclosuresOf(id));
        }
      }
      disclosures.sort((a, b) -> a.at().compareTo(b.at()));
      attach(disclosures, (List<Map<String, Object>>) data.get("orders"), "orderId");
      attach(disclosures, (List<Map<String, Object>>) data.get("contactMessages"), "ticketId");
      data.put("disclosures", disclosures.stream().map(ExportContents::shown).toList());
    }
    return data;
  }

  /**
   * Art. 15(1)(c) GDPR: each record lists the recipients it was disclosed to and when (a lawful
   * disclosure under a non-disclosure period only once the period is over).
   */
  private static void attach(
      List<Disclosure.Shown> disclosures, List<Map<String, Object>> records, String idField) {
    // by record id, so a long history costs one pass over each list
    Map<String, List<Disclosure.Shown>> byRecord = new LinkedHashMap<>();
    for (Disclosure.Shown d : disclosures) {
      java.util.Set<String> ids = new java.util.LinkedHashSet<>(d.records());
      ids.add(d.recordId());
      ids.forEach(id -> byRecord.computeIfAbsent(id, k -> new ArrayList<>()).add(d));
    }
    for (Map<String, Object> record : records) {
      List<Map<String, Object>> to = new ArrayList<>();
      for (Disclosure.Shown d :
          byRecord.getOrDefault(String.valueOf(record.get(idField)), List.of())) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("recipient", d.recipient());
        entry.put("at", d.at());
        entry.put("purpose", d.purpose());
        entry.put("legalBasis", d.legalBasis());
        entry.put("dataClasses", d.dataClasses());
        to.add(entry);
      }
      record.put("disclosedTo", to);
    }
  }

  private static Map<String, Object> shown(Disclosure.Shown d) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("recipient", d.recipient());
    entry.put("at", d.at());
    entry.put("purpose", d.purpose());
    entry.put("legalBasis", d.legalBasis());
    entry.put("dataClasses", d.dataClasses());
    entry.put("records", d.records().isEmpty() ? List.of(d.recordId()) : d.records());
    return entry;
  }

  /** The subject's orders (transaction and contact data) as an export shows them. */
  public List<Map<String, Object>> orders(String subjectId) {
    List<Map<String, Object>> orders = new ArrayList<>();
    for (OrderItems.Held held : records.orders(subjectId)) {
      OrderItems.Transaction transaction = held.transaction();
      if (transaction == null || transaction.restricted()) {
        continue; // kept for the accounts the law requires, no longer the person's to see
      }
      String orderId = transaction.orderId();
      Map<String, Object> order = new LinkedHashMap<>();
      order.put("orderId", orderId);
      order.put("createdAt", transaction.createdAt());
      order.put("status", transaction.status().name());
      order.put("total", transaction.total());
      order.put("currency", transaction.currency());
      List<Map<String, Object>> lines = new ArrayList<>();
      for (OrderItems.Line line : transaction.lines()) {
        lines.add(
            Map.of("sku", line.sku(), "quantity", line.quantity(), "unitPrice", line.unitPrice()));
      }
      order.put("items", lines);
      if (transaction.paymentProvider() != null) {
        order.put("paymentProvider", transaction.paymentProvider());
      }
      putOpened(
          order,
          "paymentReference",
          subjectId,
          OrderItems.Sealed.PAYMENT_REFERENCE.at(orderId),
          transaction.paymentReference());
      // the provider's reference is recorded when its signed event paid the order
      putOpened(
          order,
          "providerReference",
          subjectId,
          OrderItems.Sealed.PROVIDER_REFERENCE.at(orderId),
          transaction.providerReference());
      order.put("policyVersion", transaction.policyVersion());
      OrderItems.Contact contactItem = held.contact();
      if (contactItem != null) {
        Map<String, Object> contact = new LinkedHashMap<>();
        putOpened(
            contact, "email", subjectId, OrderItems.Sealed.EMAIL.at(orderId), contactItem.email());
        putOpened(
            contact, "name", subjectId, OrderItems.Sealed.NAME.at(orderId), contactItem.name());
        putOpened(
            contact, "phone", subjectId, OrderItems.Sealed.PHONE.at(orderId), contactItem.phone());
        contact.put(
            "shippingAddress",
            readTree(
                open(
                    subjectId,
                    OrderItems.Sealed.SHIPPING_ADDRESS.at(orderId),
                    contactItem.shippingAddress())));
        order.put("contact", contact);
      }
      orders.add(order);
    }
    return orders;
  }

  /** The subject's contact messages as an export shows them. */
  public List<Map<String, Object>> messages(String subjectId) {
    List<Map<String, Object>> messages = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        records.bySubject(records.tables().contact(), subjectId)) {
      String pk = item.get("pk").s();
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("ticketId", item.get("ticketId").s());
      message.put("topic", item.get("topic").s());
      message.put("createdAt", item.get("createdAt").s());
      policyVersion(item, message);
      for (String attribute : List.of("email", "name", "message")) {
        if (item.containsKey(attribute)) {
          message.put(attribute, open(subjectId, "contact", pk, attribute, item));
        }
      }
      messages.add(message);
    }
    return messages;
  }

  private List<Map<String, Object>> requests(String subjectId) {
    List<Map<String, Object>> requests = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        records.bySubject(records.tables().requests(), subjectId)) {
      PrivacyRequest held = PrivacyRequestItems.read(item);
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("requestId", held.requestId());
      request.put("type", held.type().name());
      request.put("status", held.status().name());
      request.put("receivedAt", held.receivedAt());
      policyVersion(item, request);
      requests.add(request);
    }
    return requests;
  }

  /**
   * The version of the privacy policy in force when the record was made (docs/privacy.md#erasure);
   * records written before versions were stamped on them have none.
   */
  private static void policyVersion(Map<String, AttributeValue> item, Map<String, Object> out) {
    if (item.containsKey("policyVersion")) {
      out.put("policyVersion", item.get("policyVersion").s());
    }
  }

  /** The account profile of a subject, opened; null when there is none. */
  public Map<String, Object> profile(String subjectId) {
    String pk = "profile#" + subjectId;
    Map<String, AttributeValue> profile =
        core.liveItem(records.tables().profiles(), Map.of("pk", AttributeValue.fromS(pk)))
            .orElse(null);
    if (profile == null) {
      return null;
    }
    Map<String, Object> opened = new LinkedHashMap<>();
    for (String field : List.of("name", "phone", "email")) {
      if (profile.containsKey(field)) {
        opened.put(field, open(subjectId, "profiles", pk, field, profile));
      }
    }
    if (profile.containsKey("addresses")) {
      opened.put("addresses", readTree(open(subjectId, "profiles", pk, "addresses", profile)));
    }
    opened.put(
        "marketingEmail",
        profile.containsKey("marketingEmail") && profile.get("marketingEmail").bool());
    policyVersion(profile, opened);
    return opened;
  }

  /** The events of the given visitors (by pseudonym), as an export shows them. */
  private List<Map<String, Object>> analyticsEvents(List<String> visitorPseudonyms) {
    Instant now = core.clock().instant();
    List<Map<String, Object>> events = new ArrayList<>();
    for (String visitor : visitorPseudonyms) {
      List<Map<String, AttributeValue>> held = new ArrayList<>();
      core.dynamoDb()
          .queryPaginator(
              q ->
                  q.tableName(records.tables().analyticsEvents())
                      .keyConditionExpression("pk = :pk AND begins_with(sk, :event)")
                      .expressionAttributeValues(
                          Map.of(
                              ":pk", AttributeValue.fromS("visitor#" + visitor),
                              ":event", AttributeValue.fromS("event#")))
                      .consistentRead(true))
          .items()
          .forEach(held::add);
      for (Map<String, AttributeValue> item : RetentionRegistry.liveOnly(held, now)) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", item.get("type").s());
        // the page's type (events stored before types were kept hold their path instead)
        AttributeValue page = item.containsKey("page") ? item.get("page") : item.get("path");
        event.put("page", page == null ? "other" : page.s());
        if (item.containsKey("productId")) {
          event.put("productId", item.get("productId").s());
        }
        event.put("day", item.get("day").s());
        event.put("device", item.get("device").s());
        event.put("browser", item.get("browser").s());
        policyVersion(item, event);
        events.add(event);
      }
    }
    return events;
  }

  /** The words of Art. 15 GDPR that every export carries. */
  Map<String, Object> information() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put(
        "purposes",
        List.of(
            "delivering your orders and telling you about them",
            "answering your messages",
            "statistics about how the shop is used (with your consent, pseudonymous)",
            "keeping the accounts the law requires"));
    // The recipients are the processors register's, in its words (docs/privacy.md#processors).
    List<Map<String, String>> recipients = new ArrayList<>();
    for (Processor processor : Processor.values()) {
      recipients.add(
          Map.of(
              "recipient",
              processor.title(),
              "purpose",
              processor.purpose(),
              "data",
              processor.receives()));
    }
    info.put("recipients", recipients);
    info.put("retention", core.retention().notices());
    info.put(
        "source", "you, when you ordered, wrote to us, browsed the shop or asked about your data");
    info.put(
        "rights",
        List.of(
            "access and a copy (this export)",
            "rectification",
            "erasure",
            "restriction and objection",
            "data portability",
            "withdrawing consent to analytics at any time",
            "complaining to a data protection authority"));
    info.put("automatedDecisions", "none");
    return info;
  }

  private String open(
      String subjectId,
      String table,
      String itemKey,
      String attribute,
      Map<String, AttributeValue> item) {
    return open(subjectId, new FieldAddress(table, itemKey, attribute), item.get(attribute));
  }

  /** Puts a sealed value opened, when the record holds one. */
  private void putOpened(
      Map<String, Object> out,
      String field,
      String subjectId,
      FieldAddress address,
      AttributeValue sealed) {
    if (sealed != null) {
      out.put(field, open(subjectId, address, sealed));
    }
  }

  /** A sealed value opened; null once its key is shredded or its seal is broken. */
  private String open(String subjectId, FieldAddress address, AttributeValue sealed) {
    try {
      return core.keyring().open(subjectId, address, sealed);
    } catch (SubjectErasedException | FieldSealer.SealBrokenException gone) {
      return null;
    }
  }

  private static JsonNode readTree(String json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable sealed address", e);
    }
  }
}
