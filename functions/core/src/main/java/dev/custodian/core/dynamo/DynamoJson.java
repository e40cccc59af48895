package dev.custodian.core.dynamo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's JSON wire form of attribute values ({@code {"S": "..."}}, {@code {"N": "1"}}, {@code
 * {"M": {...}}}, ...), both ways: for the calls that go out as signed JSON requests instead of
 * through the SDK's client ({@link TransactWriteCall}), whose items are still the SDK's {@link
 * AttributeValue}s.
 */
final class DynamoJson {

  private DynamoJson() {}

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
