package dev.custodian.core.catalogue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The catalogue table's layout, and every read and write of it: one item per product, keyed by its
 * SKU. Products hold no personal data and carry no {@code expiresAt}: they are kept
 * (docs/privacy.md#retention), an unsold one is deactivated, not deleted (orders name it).
 */
public final class CatalogueTable {

  /** The environment variable naming the table (the template sets it for every function). */
  public static final String TABLE_VARIABLE = "CATALOGUE_TABLE";

  private static final String PK = "pk";
  private static final String SKU = "sku";
  private static final String NAME = "name";
  private static final String UNIT_PRICE = "unitPrice";
  private static final String CURRENCY = "currency";
  private static final String ACTIVE = "active";
  private static final String UPDATED_AT = "updatedAt";

  /** BatchGetItem reads at most this many keys a call. */
  static final int BATCH = 100;

  private final DynamoDbClient dynamoDb;
  private final String table;

  public CatalogueTable(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  private static Map<String, AttributeValue> key(String sku) {
    return Map.of(PK, AttributeValue.fromS("product#" + sku));
  }

  static Map<String, AttributeValue> toItem(Product product) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(key(product.sku()));
    item.put(SKU, AttributeValue.fromS(product.sku()));
    item.put(NAME, AttributeValue.fromS(product.name()));
    item.put(UNIT_PRICE, AttributeValue.fromN(Long.toString(product.unitPrice())));
    item.put(CURRENCY, AttributeValue.fromS(product.currency()));
    item.put(ACTIVE, AttributeValue.fromBool(product.active()));
    item.put(UPDATED_AT, AttributeValue.fromS(product.updatedAt()));
    return item;
  }

  static Product fromItem(Map<String, AttributeValue> item) {
    return new Product(
        item.get(SKU).s(),
        item.get(NAME).s(),
        Long.parseLong(item.get(UNIT_PRICE).n()),
        item.get(CURRENCY).s(),
        Boolean.TRUE.equals(item.get(ACTIVE).bool()),
        item.get(UPDATED_AT).s());
  }

  /** One product, active or not. */
  public Optional<Product> get(String sku) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(g -> g.tableName(table).key(key(sku)).consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
  }

  /** The products of these SKUs that exist (active or not), in one call per hundred SKUs. */
  public Map<String, Product> getAll(Collection<String> skus) {
    Map<String, Product> found = new LinkedHashMap<>();
    List<String> all = List.copyOf(skus);
    for (int from = 0; from < all.size(); from += BATCH) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (String sku : all.subList(from, Math.min(all.size(), from + BATCH))) {
        keys.add(key(sku));
      }
      Map<String, KeysAndAttributes> request =
          Map.of(table, KeysAndAttributes.builder().keys(keys).build());
      // Unprocessed keys (throttling) are asked for again until none is left.
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> ask = request;
        var response = dynamoDb.batchGetItem(b -> b.requestItems(ask));
        for (Map<String, AttributeValue> item :
            response.responses().getOrDefault(table, List.of())) {
          Product product = fromItem(item);
          found.put(product.sku(), product);
        }
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  /** Every product, active or not, in SKU order. */
  public List<Product> list() {
    List<Product> out = new ArrayList<>();
    dynamoDb.scanPaginator(s -> s.tableName(table)).items().forEach(i -> out.add(fromItem(i)));
    out.sort(java.util.Comparator.comparing(Product::sku));
    return out;
  }

  /** Creates or replaces a product (to go in one transaction with its audit record). */
  public TransactWriteItem putting(Product product) {
    return TransactWriteItem.builder().put(p -> p.tableName(table).item(toItem(product))).build();
  }

  /**
   * Takes a product off sale (to go in one transaction with its audit record); the transaction
   * fails its condition when there is no such product.
   */
  public TransactWriteItem deactivating(String sku, Instant at) {
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(key(sku))
                    .conditionExpression("attribute_exists(" + PK + ")")
                    .updateExpression("SET #active = :false, #updatedAt = :at")
                    .expressionAttributeNames(Map.of("#active", ACTIVE, "#updatedAt", UPDATED_AT))
                    .expressionAttributeValues(
                        Map.of(
                            ":false", AttributeValue.fromBool(false),
                            ":at", AttributeValue.fromS(at.toString()))))
        .build();
  }
}
