package dev.custodian.privacy.disclosures;

import dev.custodian.core.retention.DataClass;
import dev.custodian.privacy.requests.ExportContents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The package of a lawful disclosure: exactly the classes the scope names, of records made within
 * its period, and nothing else. Orders carry their transaction record ({@code TRANSACTION}) and
 * their contact data ({@code ORDER_CONTACT}) separately, so a scope naming one gets only its part;
 * the order id and date identify the record in either. The profile holds no date: it is the state
 * held when the package is made, included only when {@code SUBJECT_PROFILE} is named.
 */
final class ScopedPackage {

  /** The classes a lawful disclosure may name (those a legal obligation may use and hold). */
  static final Set<DataClass> DISCLOSABLE =
      Set.of(
          DataClass.SUBJECT_PROFILE,
          DataClass.ORDER_CONTACT,
          DataClass.TRANSACTION,
          DataClass.CONTACT_MESSAGE);

  private static final List<String> TRANSACTION_FIELDS =
      List.of(
          "status",
          "total",
          "currency",
          "items",
          "paymentProvider",
          "paymentReference",
          "providerReference",
          "policyVersion");

  record Built(Map<String, Object> data, List<String> records) {}

  private final ExportContents contents;

  ScopedPackage(ExportContents contents) {
    this.contents = contents;
  }

  Built build(String subjectId, List<DataClass> classes, Instant from, Instant to) {
    Map<String, Object> data = new LinkedHashMap<>();
    List<String> records = new ArrayList<>();
    boolean transaction = classes.contains(DataClass.TRANSACTION);
    boolean contact = classes.contains(DataClass.ORDER_CONTACT);
    if (transaction || contact) {
      List<Map<String, Object>> orders = new ArrayList<>();
      for (Map<String, Object> order : contents.orders(subjectId)) {
        if (!within(order.get("createdAt"), from, to)) {
          continue;
        }
        Map<String, Object> scoped = new LinkedHashMap<>();
        scoped.put("orderId", order.get("orderId"));
        scoped.put("createdAt", order.get("createdAt"));
        if (transaction) {
          for (String field : TRANSACTION_FIELDS) {
            if (order.containsKey(field)) {
              scoped.put(field, order.get(field));
            }
          }
        }
        if (contact && order.containsKey("contact")) {
          scoped.put("contact", order.get("contact"));
        }
        orders.add(scoped);
        records.add(String.valueOf(order.get("orderId")));
      }
      data.put("orders", orders);
    }
    if (classes.contains(DataClass.CONTACT_MESSAGE)) {
      List<Map<String, Object>> messages = new ArrayList<>();
      for (Map<String, Object> message : contents.messages(subjectId)) {
        if (within(message.get("createdAt"), from, to)) {
          messages.add(message);
          records.add(String.valueOf(message.get("ticketId")));
        }
      }
      data.put("contactMessages", messages);
    }
    if (classes.contains(DataClass.SUBJECT_PROFILE)) {
      Map<String, Object> profile = contents.profile(subjectId);
      if (profile != null) {
        data.put("profile", profile);
        records.add("profile");
      }
    }
    return new Built(data, records);
  }

  /** Whether a record made at {@code at} falls within [from, to). */
  private static boolean within(Object at, Instant from, Instant to) {
    if (at == null) {
      return false;
    }
    Instant when = Instant.parse(String.valueOf(at));
    return !when.isBefore(from) && when.isBefore(to);
  }
}
