package dev.custodian.core.requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A change of one request's status, conditional on the status it is expected in, with the step
 * appended to its history; more attributes may be set or removed with it, and more conditions added
 * (each with its own placeholders, never {@code #s}, {@code :from*}, {@code :to}, {@code :entry} or
 * {@code :vN}).
 */
public final class StatusChange {
  private final String requestId;
  private final List<RequestStatus> from;
  private final List<String> sets = new ArrayList<>();
  private final List<String> removes = new ArrayList<>();
  private final List<String> conditions = new ArrayList<>();
  private final Map<String, String> names = new HashMap<>();
  private final Map<String, AttributeValue> values = new HashMap<>();

  StatusChange(
      String requestId, List<RequestStatus> from, RequestStatus to, Instant at, String reason) {
    this.requestId = requestId;
    this.from = from;
    names.put("#s", PrivacyRequestItems.STATUS);
    List<String> expected = new ArrayList<>();
    for (RequestStatus status : from) {
      String placeholder = ":from" + expected.size();
      expected.add(placeholder);
      values.put(placeholder, AttributeValue.fromS(status.name()));
    }
    conditions.add(
        expected.size() == 1
            ? "#s = " + expected.get(0)
            : "#s IN (" + String.join(", ", expected) + ")");
    values.put(":to", AttributeValue.fromS(to.name()));
    values.put(
        ":entry",
        AttributeValue.fromL(List.of(PrivacyRequestItems.historyEntry(to.name(), at, reason))));
    sets.add("#s = :to");
    sets.add(
        PrivacyRequestItems.HISTORY
            + " = list_append("
            + PrivacyRequestItems.HISTORY
            + ", :entry)");
  }

  /** Sets an attribute of the request with the change. */
  public StatusChange set(String attribute, AttributeValue value) {
    String name = "#a" + names.size();
    String placeholder = ":v" + values.size();
    names.put(name, attribute);
    values.put(placeholder, value);
    sets.add(name + " = " + placeholder);
    return this;
  }

  /** Removes attributes of the request with the change. */
  public StatusChange remove(String... attributes) {
    for (String attribute : attributes) {
      String name = "#a" + names.size();
      names.put(name, attribute);
      removes.add(name);
    }
    return this;
  }

  /** A further condition the request must meet, its placeholders' values given. */
  public StatusChange when(String condition, Map<String, AttributeValue> conditionValues) {
    conditions.add(condition);
    values.putAll(conditionValues);
    return this;
  }

  /** The statuses the request is expected in. */
  public List<RequestStatus> from() {
    return from;
  }

  public Update update(String table) {
    return Update.builder()
        .tableName(table)
        .key(PrivacyRequestItems.key(requestId))
        .conditionExpression(conditionExpression())
        .updateExpression(updateExpression())
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }

  public TransactWriteItem transactItem(String table) {
    return TransactWriteItem.builder().update(update(table)).build();
  }

  /** The change as an UpdateItem call of its own (the same expressions as {@link #update}). */
  public UpdateItemRequest request(String table) {
    Update update = update(table);
    return UpdateItemRequest.builder()
        .applyMutation(
            b ->
                b.tableName(table)
                    .key(update.key())
                    .conditionExpression(update.conditionExpression())
                    .updateExpression(update.updateExpression()))
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }

  private String conditionExpression() {
    return String.join(" AND ", conditions);
  }

  private String updateExpression() {
    return "SET "
        + String.join(", ", sets)
        + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
  }
}
