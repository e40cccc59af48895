package dev.custodian.core.validation;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a request's JSON body at the edge, in this order: content type (415), size (413, before
 * anything is parsed), UTF-8 and JSON syntax (400 {@code malformed_json}: duplicate keys, trailing
 * data and nesting past the mapper's limit included), then validation against the route's schema
 * and a search for card numbers (400 {@code validation_failed}). Messages never quote the input.
 */
public final class JsonBody {

  /** Bodies over this many bytes are refused (docs/openapi.yaml). */
  public static final int MAX_BYTES = 32 * 1024;

  private JsonBody() {}

  /** The body as a JSON object, checked against {@code schema}. */
  public static ObjectNode read(HttpRequest request, Schema schema) {
    ObjectNode body = parse(request);
    validate(body, schema);
    return body;
  }

  /** Validates an already parsed value (e.g. a part of a body) and searches it for card numbers. */
  public static void validate(JsonNode body, Schema schema) {
    Problems problems = new Problems();
    schema.check(body, "", problems);
    CardNumbers.scan(body, "", problems);
    if (!problems.isEmpty()) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "The request is not valid.", problems.list());
    }
  }

  /** The body as a JSON object, without a schema. */
  public static ObjectNode parse(HttpRequest request) {
    checkContentType(request);
    byte[] bytes;
    try {
      bytes = request.bodyBytes();
    } catch (IllegalArgumentException badBase64) {
      throw malformed();
    }
    if (bytes.length > MAX_BYTES) {
      throw new ApiException(
          ErrorCode.PAYLOAD_TOO_LARGE, "The body is larger than " + MAX_BYTES + " bytes.");
    }
    if (bytes.length == 0) {
      throw new ApiException(ErrorCode.MALFORMED_JSON, "The body is empty; send a JSON object.");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ApiException(ErrorCode.MALFORMED_JSON, "The body is not valid UTF-8.");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw malformed();
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(ErrorCode.MALFORMED_JSON, "The body must be a JSON object.");
    }
    return (ObjectNode) node;
  }

  private static ApiException malformed() {
    return new ApiException(ErrorCode.MALFORMED_JSON, "The body is not well-formed JSON.");
  }

  private static void checkContentType(HttpRequest request) {
    String contentType = request.header("content-type").orElse("");
    String[] parts = contentType.split(";");
    boolean json = parts[0].trim().equalsIgnoreCase("application/json");
    for (int i = 1; json && i < parts.length; i++) {
      String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("charset=")) {
        String charset = parameter.substring("charset=".length()).replace("\"", "");
        json = charset.equals("utf-8") || charset.equals("utf8");
      }
    }
    if (!json) {
      throw new ApiException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json (UTF-8).");
    }
  }
}
