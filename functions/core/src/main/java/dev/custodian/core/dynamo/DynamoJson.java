package dev.custodian.core.dynamo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * DynamoDB's JSON wire form, both ways, for the calls that go out as signed JSON requests instead
 * of through the SDK's client ({@link SignedDynamoDb}): a request or answer is the SDK's own model
 * object, written and read member by member from the fields its class declares (as the SDK's JSON
 * protocol does), and attribute values as their single-type objects ({@code {"S": "..."}}, {@code
 * {"N": "1"}}, {@code {"M": {...}}}, ...).
 */
final class DynamoJson {

  private DynamoJson() {}

  /**
   * Writes a request (or any model object) as its JSON object: every member that is set, by its
   * wire name; an idempotency token the caller left empty is filled in, as the client fills it.
   */
  static void writePojo(JsonGenerator out, SdkPojo pojo) throws IOException {
    if (pojo instanceof AttributeValue value) {
      write(out, value);
      return;
    }
    writeMembers(out, pojo);
  }

  private static void writeMembers(JsonGenerator out, SdkPojo pojo) throws IOException {
    out.writeStartObject();
    for (SdkField<?> field : pojo.sdkFields()) {
      if (field.location() != MarshallLocation.PAYLOAD) {
        throw new IllegalArgumentException("a member outside the body: " + field.memberName());
      }
      Object value = field.getValueOrDefault(pojo);
      if (value == null || value instanceof SdkAutoConstructList<?>) {
        continue;
      }
      if (value instanceof SdkAutoConstructMap<?, ?>) {
        continue;
      }
      out.writeFieldName(field.locationName());
      writeValue(out, field, value);
    }
    out.writeEndObject();
  }

  private static void writeValue(JsonGenerator out, SdkField<?> field, Object value)
      throws IOException {
    MarshallingType<?> type = field.marshallingType();
    if (type == MarshallingType.STRING) {
      out.writeString((String) value);
    } else if (type == MarshallingType.INTEGER || type == MarshallingType.LONG) {
      out.writeNumber(((Number) value).longValue());
    } else if (type == MarshallingType.DOUBLE || type == MarshallingType.FLOAT) {
      out.writeNumber(((Number) value).doubleValue());
    } else if (type == MarshallingType.BOOLEAN) {
      out.writeBoolean((Boolean) value);
    } else if (type == MarshallingType.SDK_BYTES) {
      out.writeBinary(((SdkBytes) value).asByteArrayUnsafe());
    } else if (type == MarshallingType.INSTANT) {
      out.writeNumber(BigDecimal.valueOf(((Instant) value).toEpochMilli(), 3));
    } else if (type == MarshallingType.SDK_POJO) {
      writePojo(out, (SdkPojo) value);
    } else if (type == MarshallingType.LIST) {
      SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
      out.writeStartArray();
      for (Object element : (List<?>) value) {
        writeValue(out, member, element);
      }
      out.writeEndArray();
    } else if (type == MarshallingType.MAP) {
      SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
      out.writeStartObject();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        out.writeFieldName((String) entry.getKey());
        writeValue(out, member, entry.getValue());
      }
      out.writeEndObject();
    } else {
      throw new IllegalArgumentException("a member of no supported type: " + field.memberName());
    }
  }

  /**
   * Fills a model object's builder (an answer's, an error's) from its JSON object: every member the
   * class declares that the JSON holds; anything else is left out, as the client leaves it.
   */
  static <B extends SdkPojo> B readPojo(JsonNode json, B builder) throws IOException {
    if (!json.isObject()) {
      throw new IOException("an answer that is not an object");
    }
    for (SdkField<?> field : builder.sdkFields()) {
      JsonNode value = json.get(field.unmarshallLocationName());
      if (value != null && !value.isNull()) {
        field.set(builder, readValue(value, field));
      }
    }
    return builder;
  }

  private static Object readValue(JsonNode value, SdkField<?> field) throws IOException {
    MarshallingType<?> type = field.marshallingType();
    if (type == MarshallingType.STRING) {
      return value.asText();
    } else if (type == MarshallingType.INTEGER) {
      return value.intValue();
    } else if (type == MarshallingType.LONG) {
      return value.longValue();
    } else if (type == MarshallingType.DOUBLE) {
      return value.doubleValue();
    } else if (type == MarshallingType.FLOAT) {
      return value.floatValue();
    } else if (type == MarshallingType.BOOLEAN) {
      return value.booleanValue();
    } else if (type == MarshallingType.SDK_BYTES) {
      return SdkBytes.fromByteArrayUnsafe(value.binaryValue());
    } else if (type == MarshallingType.INSTANT) {
      BigDecimal seconds = value.decimalValue();
      return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    } else if (type == MarshallingType.SDK_POJO) {
      SdkPojo built = field.constructor().get();
      if (built instanceof AttributeValue.Builder) {
        return read(value);
      }
      return ((Buildable) readPojo(value, built)).build();
    } else if (type == MarshallingType.LIST) {
      SdkField<?> member = field.getRequiredTrait(ListTrait.class).memberFieldInfo();
      List<Object> list = new ArrayList<>();
      for (JsonNode element : value) {
        list.add(readValue(element, member));
      }
      return list;
    } else if (type == MarshallingType.MAP) {
      SdkField<?> member = field.getRequiredTrait(MapTrait.class).valueFieldInfo();
      Map<String, Object> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        map.put(entry.getKey(), readValue(entry.getValue(), member));
      }
      return map;
    }
    throw new IOException("a member of no supported type: " + field.memberName());
  }

  /** Writes {@code {"name": {"S": ...}, ...}}. */
  static void writeItem(JsonGenerator out, Map<String, AttributeValue> item) throws IOException {
    out.writeStartObject();
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      out.writeFieldName(attribute.getKey());
      write(out, attribute.getValue());
    }
    out.writeEndObject();
  }

  /** Writes one value as its single-type object. */
  static void write(JsonGenerator out, AttributeValue value) throws IOException {
    if (value.type() == null || value.type() == AttributeValue.Type.UNKNOWN_TO_SDK_VERSION) {
      // no type set (or one this SDK does not know): what is set, as the client sends it, for
      // DynamoDB to refuse as it refuses the client's
      writeMembers(out, value);
      return;
    }
    out.writeStartObject();
    switch (value.type()) {
      case S -> out.writeStringField("S", value.s());
      case N -> out.writeStringField("N", value.n());
      case B -> out.writeBinaryField("B", value.b().asByteArrayUnsafe());
      case BOOL -> out.writeBooleanField("BOOL", value.bool());
      case NUL -> out.writeBooleanField("NULL", value.nul());
      case SS -> writeStrings(out, "SS", value.ss());
      case NS -> writeStrings(out, "NS", value.ns());
      case BS -> {
        out.writeArrayFieldStart("BS");
        for (SdkBytes bytes : value.bs()) {
          out.writeBinary(bytes.asByteArrayUnsafe());
        }
        out.writeEndArray();
      }
      case M -> {
        out.writeFieldName("M");
        writeItem(out, value.m());
      }
      case L -> {
        out.writeArrayFieldStart("L");
        for (AttributeValue element : value.l()) {
          write(out, element);
        }
        out.writeEndArray();
      }
      default -> throw new IllegalArgumentException("an attribute value of no known type");
    }
    out.writeEndObject();
  }

  private static void writeStrings(JsonGenerator out, String type, List<String> values)
      throws IOException {
    out.writeArrayFieldStart(type);
    for (String v : values) {
      out.writeString(v);
    }
    out.writeEndArray();
  }

  /** Reads {@code {"name": {"S": ...}, ...}}. */
  static Map<String, AttributeValue> readItem(JsonNode item) throws IOException {
    if (!item.isObject()) {
      throw new IOException("an item that is not an object");
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      out.put(field.getKey(), read(field.getValue()));
    }
    return out;
  }

  /** Reads one single-type object. */
  static AttributeValue read(JsonNode value) throws IOException {
    if (value == null || !value.isObject() || value.size() != 1) {
      throw new IOException("an attribute value that is not one typed value");
    }
    Map.Entry<String, JsonNode> typed = value.fields().next();
    JsonNode v = typed.getValue();
    return switch (typed.getKey()) {
      case "S" -> AttributeValue.fromS(v.asText());
      case "N" -> AttributeValue.fromN(v.asText());
      case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(v.binaryValue()));
      case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
      case "NULL" -> AttributeValue.fromNul(v.asBoolean());
      case "SS" -> AttributeValue.fromSs(texts(v));
      case "NS" -> AttributeValue.fromNs(texts(v));
      case "BS" -> {
        List<SdkBytes> bytes = new ArrayList<>();
        for (JsonNode b : v) {
          bytes.add(SdkBytes.fromByteArray(b.binaryValue()));
        }
        yield AttributeValue.fromBs(bytes);
      }
      case "M" -> AttributeValue.fromM(readItem(v));
      case "L" -> {
        List<AttributeValue> list = new ArrayList<>();
        for (JsonNode element : v) {
          list.add(read(element));
        }
        yield AttributeValue.fromL(list);
      }
      default -> throw new IOException("an attribute value of unknown type " + typed.getKey());
    };
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : array) {
      out.add(v.asText());
    }
    return out;
  }
}
