package dev.custodian.local.resources;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/**
 * An {@code AWS::DynamoDB::Table}'s properties as a CreateTable request: keys, billing, indexes,
 * stream and encryption, as CloudFormation would create the table.
 */
final class TableRequests {

  private TableRequests() {}

  @SuppressWarnings("unchecked")
  static CreateTableRequest create(String name, Map<String, Object> p) {
    CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name);
    request.attributeDefinitions(
        list(p.get("AttributeDefinitions")).stream()
            .map(
                a ->
                    AttributeDefinition.builder()
                        .attributeName(str(a, "AttributeName"))
                        .attributeType(str(a, "AttributeType"))
                        .build())
            .toList());
    request.keySchema(keySchema(p.get("KeySchema")));
    boolean provisioned = "PROVISIONED".equals(p.get("BillingMode"));
    request.billingMode(provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST);
    if (provisioned) {
      request.provisionedThroughput(throughput(p.get("ProvisionedThroughput")));
    }
    if (p.containsKey("GlobalSecondaryIndexes")) {
      request.globalSecondaryIndexes(
          list(p.get("GlobalSecondaryIndexes")).stream()
              .map(
                  g -> {
                    GlobalSecondaryIndex.Builder index =
                        GlobalSecondaryIndex.builder()
                            .indexName(str(g, "IndexName"))
                            .keySchema(keySchema(g.get("KeySchema")))
                            .projection(projection(g.get("Projection")));
                    if (provisioned) {
                      index.provisionedThroughput(throughput(g.get("ProvisionedThroughput")));
                    }
                    return index.build();
                  })
              .toList());
    }
    if (p.containsKey("LocalSecondaryIndexes")) {
      request.localSecondaryIndexes(
          list(p.get("LocalSecondaryIndexes")).stream()
              .map(
                  l ->
                      LocalSecondaryIndex.builder()
                          .indexName(str(l, "IndexName"))
                          .keySchema(keySchema(l.get("KeySchema")))
                          .projection(projection(l.get("Projection")))
                          .build())
              .toList());
    }
    if (p.get("StreamSpecification") instanceof Map<?, ?> stream) {
      request.streamSpecification(
          StreamSpecification.builder()
              .streamEnabled(true)
              .streamViewType(String.valueOf(stream.get("StreamViewType")))
              .build());
    }
    if (p.get("SSESpecification") instanceof Map<?, ?> sse) {
      SSESpecification.Builder spec =
          SSESpecification.builder().enabled(bool(sse.get("SSEEnabled")));
      if (sse.get("SSEType") != null) {
        spec.sseType(String.valueOf(sse.get("SSEType")));
      }
      if (sse.get("KMSMasterKeyId") != null) {
        spec.kmsMasterKeyId(String.valueOf(sse.get("KMSMasterKeyId")));
      }
      request.sseSpecification(spec.build());
    }
    if (p.containsKey("DeletionProtectionEnabled")) {
      request.deletionProtectionEnabled(bool(p.get("DeletionProtectionEnabled")));
    }
    return request.build();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  private static String str(Map<String, Object> map, String key) {
    return String.valueOf(map.get(key));
  }

  static boolean bool(Object value) {
    return value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value));
  }

  private static List<KeySchemaElement> keySchema(Object schema) {
    return list(schema).stream()
        .map(
            k ->
                KeySchemaElement.builder()
                    .attributeName(str(k, "AttributeName"))
                    .keyType(str(k, "KeyType"))
                    .build())
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Projection projection(Object value) {
    Map<String, Object> p = (Map<String, Object>) value;
    Projection.Builder projection =
        Projection.builder().projectionType(String.valueOf(p.get("ProjectionType")));
    if (p.get("NonKeyAttributes") instanceof List<?> attributes) {
      projection.nonKeyAttributes(attributes.stream().map(String::valueOf).toList());
    }
    return projection.build();
  }

  private static ProvisionedThroughput throughput(Object value) {
    @SuppressWarnings("unchecked")
    Map<String, Object> t = value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    return ProvisionedThroughput.builder()
        .readCapacityUnits(Long.parseLong(String.valueOf(t.getOrDefault("ReadCapacityUnits", 5))))
        .writeCapacityUnits(Long.parseLong(String.valueOf(t.getOrDefault("WriteCapacityUnits", 5))))
        .build();
  }
}
