package dev.custodian.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.emulator.EmulatorProxy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every table receives during a load simulation, read off the emulator proxy: each item
 * written (table or index, partition key, billed size, whether in a transaction, when) and the read
 * units of each read, plus the count of every call by service and operation. Failed calls are not
 * recorded (DynamoDB bills a cancelled transaction too; the model's figures are for calls that
 * succeed).
 */
final class Ledger implements EmulatorProxy.Observer {

  /** One item written: to a table, or to one of its indexes ({@code Table/index}). */
  record Write(
      String table, String pk, int bytes, boolean transactional, long atNanos, String function) {}

  /** One read: its table and the read units DynamoDB bills for it. */
  record Read(String table, double units, String function) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> logicalByName;
  private final Map<String, Map<String, String>> indexesByTable; // logical -> index -> hash attr
  private final Map<String, Integer> knownSizes = new ConcurrentHashMap<>();
  private final List<Write> writes = new ArrayList<>();
  private final List<Read> reads = new ArrayList<>();
  private final Map<String, Integer> calls = new ConcurrentHashMap<>();

  Ledger(Map<String, String> logicalByName, Map<String, Map<String, String>> indexesByTable) {
    this.logicalByName = logicalByName;
    this.indexesByTable = indexesByTable;
  }

  /** What was recorded since the last drain, and a fresh start. */
  synchronized Snapshot drain() {
    Snapshot snapshot = new Snapshot(List.copyOf(writes), List.copyOf(reads), Map.copyOf(calls));
    writes.clear();
    reads.clear();
    calls.clear();
    return snapshot;
  }

  /** A phase's record. */
  record Snapshot(List<Write> writes, List<Read> reads, Map<String, Integer> calls) {

    int calls(String serviceOperation) {
      return calls.entrySet().stream()
          .filter(e -> e.getKey().endsWith("|" + serviceOperation))
          .mapToInt(Map.Entry::getValue)
          .sum();
    }

    int callsOf(String service) {
      return calls.entrySet().stream()
          .filter(e -> e.getKey().contains("|" + service + "|"))
          .mapToInt(Map.Entry::getValue)
          .sum();
    }
  }

  @Override
  public void call(String key, byte[] request, byte[] answer) {
    String[] parts = key.split("\\|", 3);
    String function = parts[0];
    long at = System.nanoTime();
    JsonNode in;
    JsonNode out;
    try {
      in = request.length == 0 ? JSON.createObjectNode() : JSON.readTree(request);
      out = answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
    } catch (IOException e) {
      in = JSON.createObjectNode(); // an SQS or SES body that is not JSON: counted only
      out = JSON.createObjectNode();
    }
    if (out.has("__type")) {
      return; // the call failed
    }
    synchronized (this) {
      calls.merge(key, 1, Integer::sum);
      if (parts.length == 3 && parts[1].equals("dynamodb")) {
        dynamoDb(parts[2], in, out, function, at);
      }
    }
  }

  private void dynamoDb(String operation, JsonNode in, JsonNode out, String fn, long at) {
    switch (operation) {
      case "PutItem" -> put(in.path("TableName").asText(), in.path("Item"), false, fn, at);
      case "UpdateItem" -> update(in, false, fn, at);
      case "DeleteItem" -> delete(in.path("TableName").asText(), in.path("Key"), false, fn, at);
      case "BatchWriteItem" ->
          in.path("RequestItems")
              .fields()
              .forEachRemaining(
                  table -> {
                    for (JsonNode request : table.getValue()) {
                      if (request.has("PutRequest")) {
                        put(table.getKey(), request.path("PutRequest").path("Item"), false, fn, at);
                      } else {
                        delete(
                            table.getKey(),
                            request.path("DeleteRequest").path("Key"),
                            false,
                            fn,
                            at);
                      }
                    }
                  });
      case "TransactWriteItems" -> {
        for (JsonNode item : in.path("TransactItems")) {
          if (item.has("Put")) {
            JsonNode put = item.path("Put");
            put(put.path("TableName").asText(), put.path("Item"), true, fn, at);
          } else if (item.has("Update")) {
            update(item.path("Update"), true, fn, at);
          } else if (item.has("Delete")) {
            JsonNode delete = item.path("Delete");
            delete(delete.path("TableName").asText(), delete.path("Key"), true, fn, at);
          } else if (item.has("ConditionCheck")) {
            JsonNode check = item.path("ConditionCheck");
            write(check.path("TableName").asText(), check.path("Key"), sizeOf(check), true, fn, at);
          }
        }
      }
      case "GetItem" -> read(in.path("TableName").asText(), List.of(out.path("Item")), in, fn, 1);
      case "Query", "Scan" ->
          read(in.path("TableName").asText(), list(out.path("Items")), in, fn, 1);
      case "BatchGetItem" ->
          out.path("Responses")
              .fields()
              .forEachRemaining(
                  table -> {
                    for (JsonNode item : table.getValue()) {
                      read(table.getKey(), List.of(item), in, fn, 1);
                    }
                  });
      case "TransactGetItems" -> {
        for (JsonNode response : out.path("Responses")) {
          read("?", List.of(response.path("Item")), in, fn, 2);
        }
      }
      default -> {}
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private void put(String table, JsonNode item, boolean transactional, String fn, long at) {
    int bytes = ItemSize.of(item);
    knownSizes.put(itemKey(table, item), bytes);
    write(table, item, bytes, transactional, fn, at);
    String logical = logical(table);
    for (Map.Entry<String, String> index :
        indexesByTable.getOrDefault(logical, Map.of()).entrySet()) {
      JsonNode indexKey = item.path(index.getValue());
      if (!indexKey.isMissingNode()) {
        writes.add(
            new Write(
                logical + "/" + index.getKey(),
                indexKey.path("S").asText(indexKey.toString()),
                bytes,
                false, // an index is written as a plain write, even for a transaction's item
                at,
                fn));
      }
    }
  }

  private void update(JsonNode update, boolean transactional, String fn, long at) {
    String table = update.path("TableName").asText();
    JsonNode key = update.path("Key");
    int estimate = ItemSize.of(key) + ItemSize.of(update.path("ExpressionAttributeValues"));
    int bytes = Math.max(knownSizes.getOrDefault(itemKey(table, key), 0), estimate);
    knownSizes.put(itemKey(table, key), bytes);
    write(table, key, bytes, transactional, fn, at);
  }

  private void delete(String table, JsonNode key, boolean transactional, String fn, long at) {
    Integer known = knownSizes.remove(itemKey(table, key));
    write(table, key, known == null ? ItemSize.of(key) : known, transactional, fn, at);
  }

  private int sizeOf(JsonNode check) {
    Integer known = knownSizes.get(itemKey(check.path("TableName").asText(), check.path("Key")));
    return known == null ? ItemSize.of(check.path("Key")) : known;
  }

  private void write(
      String table, JsonNode key, int bytes, boolean transactional, String fn, long at) {
    JsonNode pk = key.path("pk");
    writes.add(
        new Write(
            logical(table), pk.path("S").asText(pk.toString()), bytes, transactional, at, fn));
  }

  private void read(String table, List<JsonNode> items, JsonNode in, String fn, int factor) {
    int bytes = 0;
    for (JsonNode item : items) {
      bytes += item.isMissingNode() ? 0 : ItemSize.of(item);
    }
    double units = Math.max(1, Math.ceil(bytes / 4096.0)) * factor;
    if (!in.path("ConsistentRead").asBoolean(false) && factor == 1) {
      units /= 2; // an eventually consistent read costs half
    }
    reads.add(new Read(logical(table), units, fn));
  }

  private String logical(String table) {
    return logicalByName.getOrDefault(table, table);
  }

  private static String itemKey(String table, JsonNode item) {
    return table + "|" + item.path("pk") + "|" + item.path("sk");
  }
}
