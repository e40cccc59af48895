package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.json.Json;
import dev.custodian.core.requests.PrivacyRequest;
import dev.custodian.core.requests.PrivacyRequestItems;
import dev.custodian.core.requests.RequestStatus;
import dev.custodian.core.retention.RetentionRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The operators' list of requests, paged from the {@value #INDEX} index (status, due date), the
 * earliest due first, so overdue requests lead. A page reads at most {@code limit} index entries
 * per status it covers, whatever the table holds. Several statuses (the open ones, by default) are
 * merged by due date: the cursor holds, per status, where its index was read up to.
 */
final class RequestQueue {

  static final String INDEX = PrivacyRequestItems.STATUS_INDEX;
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;

  /** Not a status: the open requests whose deadline was extended. */
  static final String EXTENDED = "EXTENDED";

  /** What the list may be asked for: a status, or the extended requests. */
  static final List<String> STATUSES =
      Stream.concat(Arrays.stream(RequestStatus.values()).map(Enum::name), Stream.of(EXTENDED))
          .toList();

  static final List<String> OPEN = RequestStatus.open().stream().map(Enum::name).toList();
  private static final String DONE = "done";

  private final PrivacyCore core;
  private final String table;

  RequestQueue(PrivacyCore core, String table) {
    this.core = core;
    this.table = table;
  }

  /**
   * One page: the rows and, while more may follow, the opaque cursor of the next page. {@code
   * status} null lists the open requests; EXTENDED the open requests whose deadline was extended.
   */
  Map<String, Object> page(String status, String limitParameter, String cursor) {
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.invalid("status", "must be one of " + String.join(", ", STATUSES));
    }
    int limit = limit(limitParameter);
    boolean extendedOnly = EXTENDED.equals(status);
    List<String> sources = status == null || extendedOnly ? OPEN : List.of(status);
    Map<String, Map<String, AttributeValue>> from = decode(cursor, sources);
    Instant now = core.clock().instant();

    // Read up to `limit` entries of each status, from where the cursor left it.
    Map<String, List<Map<String, AttributeValue>>> read = new LinkedHashMap<>();
    Map<String, Map<String, AttributeValue>> readUpTo = new LinkedHashMap<>();
    String bound = null; // a status not read past this due date may still hold earlier entries
    for (String source : sources) {
      Map<String, AttributeValue> start = from.get(source);
      if (start != null && start.isEmpty()) {
        continue; // this status is done
      }
      QueryRequest.Builder query =
          QueryRequest.builder()
              .tableName(table)
              .indexName(INDEX)
              .keyConditionExpression("#s = :s")
              .expressionAttributeNames(Map.of("#s", PrivacyRequestItems.STATUS))
              .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(source)))
              .limit(limit);
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse response = core.dynamoDb().query(query.build());
      read.put(source, new ArrayList<>(response.items()));
      Map<String, AttributeValue> last =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : Map.of();
      readUpTo.put(source, last);
      if (!last.isEmpty()
          && (bound == null || last.get(PrivacyRequestItems.DUE_AT).s().compareTo(bound) < 0)) {
        bound = last.get(PrivacyRequestItems.DUE_AT).s();
      }
    }

    // Merge by due date, each status in its index's order, up to the bound and the limit.
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Map<String, AttributeValue>> next = new LinkedHashMap<>(from);
    int taken = 0;
    while (taken < limit) {
      String earliest = null;
      for (Map.Entry<String, List<Map<String, AttributeValue>>> source : read.entrySet()) {
        if (!source.getValue().isEmpty()
            && (earliest == null
                || due(source.getValue().get(0)).compareTo(due(read.get(earliest).get(0))) < 0)) {
          earliest = source.getKey();
        }
      }
      if (earliest == null
          || (bound != null && due(read.get(earliest).get(0)).compareTo(bound) > 0)) {
        break;
      }
      Map<String, AttributeValue> item = read.get(earliest).remove(0);
      taken++;
      next.put(earliest, keyOf(item));
      if (RetentionRegistry.live(item, now).isPresent()
          && (!extendedOnly || item.containsKey(PrivacyRequestItems.EXTENDED_AT))) {
        rows.add(row(item, now));
      }
    }
    // A status whose entries were all taken goes on after what it read (or is done).
    for (Map.Entry<String, List<Map<String, AttributeValue>>> source : read.entrySet()) {
      if (source.getValue().isEmpty()) {
        next.put(source.getKey(), readUpTo.get(source.getKey()));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", rows);
    if (sources.stream().anyMatch(s -> next.get(s) == null || !next.get(s).isEmpty())) {
      out.put("next", encode(next, sources));
    }
    return out;
  }

  private static String due(Map<String, AttributeValue> item) {
    return item.get(PrivacyRequestItems.DUE_AT).s();
  }

  private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
    return Map.of(
        PrivacyRequestItems.PK, item.get(PrivacyRequestItems.PK),
        PrivacyRequestItems.STATUS, item.get(PrivacyRequestItems.STATUS),
        PrivacyRequestItems.DUE_AT, item.get(PrivacyRequestItems.DUE_AT));
  }

  private static Map<String, Object> row(Map<String, AttributeValue> item, Instant now) {
    PrivacyRequest request = PrivacyRequestItems.read(item);
    Instant due = Instant.parse(request.dueAt());
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("requestId", request.requestId());
    row.put("type", request.type().name());
    row.put("status", request.status().name());
    row.put("regime", request.regime());
    row.put("receivedAt", request.receivedAt());
    row.put("dueAt", due.toString());
    row.put("extended", request.extended());
    boolean open = request.status().isOpen();
    row.put("overdue", open && now.isAfter(due));
    if (open) {
      row.put("daysLeft", Math.floorDiv(Duration.between(now, due).toHours(), 24));
    }
    return row;
  }

  private static int limit(String parameter) {
    if (parameter == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(parameter);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw ApiException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }

  /**
   * The cursor: per status, the key its index was read up to ({@code done} when finished), as
   * base64url JSON. It names request ids and dates only; a forged one can only start a page
   * elsewhere in the same list, so it is checked for shape, not signed.
   */
  private static String encode(
      Map<String, Map<String, AttributeValue>> next, List<String> sources) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    for (String source : sources) {
      Map<String, AttributeValue> key = next.get(source);
      if (key == null) {
        continue; // not read yet: starts from the beginning
      }
      if (key.isEmpty()) {
        json.put(source, DONE);
      } else {
        json.putObject(source)
            .put("pk", key.get(PrivacyRequestItems.PK).s())
            .put("dueAt", key.get(PrivacyRequestItems.DUE_AT).s());
      }
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, Map<String, AttributeValue>> decode(
      String cursor, List<String> sources) {
    Map<String, Map<String, AttributeValue>> from = new LinkedHashMap<>();
    if (cursor == null) {
      return from;
    }
    try {
      if (cursor.length() > 4096) {
        throw new IllegalArgumentException("too long");
      }
      JsonNode json =
          Json.MAPPER.readTree(
              new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (json == null || !json.isObject()) {
        throw new IllegalArgumentException("not an object");
      }
      Set<String> allowed = Set.copyOf(sources);
      var fields = json.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        if (!allowed.contains(field.getKey())) {
          throw new IllegalArgumentException("another list's cursor");
        }
        JsonNode value = field.getValue();
        if (value.isTextual() && value.asText().equals(DONE)) {
          from.put(field.getKey(), Map.of());
          continue;
        }
        String pk = value.path("pk").asText("");
        String dueAt = value.path("dueAt").asText("");
        if (PrivacyRequestItems.requestIdOf(pk) == null) {
          throw new IllegalArgumentException("bad key");
        }
        Instant.parse(dueAt);
        from.put(
            field.getKey(),
            Map.of(
                PrivacyRequestItems.PK, AttributeValue.fromS(pk),
                PrivacyRequestItems.STATUS, AttributeValue.fromS(field.getKey()),
                PrivacyRequestItems.DUE_AT, AttributeValue.fromS(dueAt)));
      }
      return from;
    } catch (IllegalArgumentException | DateTimeParseException | java.io.IOException e) {
      throw ApiException.invalid(
          "cursor", "must be the next cursor of an earlier page of this list");
    }
  }
}
