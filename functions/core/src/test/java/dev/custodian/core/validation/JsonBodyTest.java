package dev.custodian.core.validation;

import static dev.custodian.core.validation.ObjectSchema.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

  private static final Schema SCHEMA =
      object()
          .required("email", Types.email())
          .optional("name", Types.string(1, 200))
          .optional("count", Types.integer(1, 10));

  private static HttpRequest request(String contentType, String body) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    Map<String, String> headers = new HashMap<>();
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
    event.setHeaders(headers);
    event.setBody(body);
    return new HttpRequest(event);
  }

  private static HttpRequest binary(byte[] body) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setHeaders(Map.of("content-type", "application/json"));
    event.setBody(Base64.getEncoder().encodeToString(body));
    event.setIsBase64Encoded(true);
    return new HttpRequest(event);
  }

  private static void refused(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void read_acceptsAValidBody_withACharsetParameter() {
    assertThat(
            JsonBody.read(
                    request("Application/JSON; charset=UTF-8", "{\"email\":\"a@b.example\"}"),
                    SCHEMA)
                .path("email")
                .asText())
        .isEqualTo("a@b.example");
  }

  @Test
  void read_refuses415_whenContentTypeIsNotJson() {
    refused(
        () -> JsonBody.read(request("text/plain", "{}"), SCHEMA), ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    refused(() -> JsonBody.read(request(null, "{}"), SCHEMA), ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    refused(
        () -> JsonBody.read(request("application/json; charset=latin1", "{}"), SCHEMA),
        ErrorCode.UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void read_refuses413_overThirtyTwoKibibytes_beforeParsing() {
    String big = "{\"email\":\"" + "x".repeat(JsonBody.MAX_BYTES) + "\"}";
    refused(
        () -> JsonBody.read(request("application/json", big), SCHEMA), ErrorCode.PAYLOAD_TOO_LARGE);
    // not even JSON: the size is checked first
    refused(
        () ->
            JsonBody.read(request("application/json", "[".repeat(JsonBody.MAX_BYTES + 1)), SCHEMA),
        ErrorCode.PAYLOAD_TOO_LARGE);
  }

  @Test
  void read_refusesMalformedBodies_withoutQuotingThem() {
    for (String body :
        new String[] {
          "",
          "{",
          "{\"email\":\"secret@x.example\",}",
          "[1]",
          "\"text\"",
          "{} {}",
          "{\"email\":\"a@b.example\",\"email\":\"c@d.example\"}",
          "[".repeat(200) + "]".repeat(200)
        }) {
      assertThatThrownBy(() -> JsonBody.read(request("application/json", body), SCHEMA))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
                assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("email");
              });
    }
    refused(
        () ->
            JsonBody.read(
                binary(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}), SCHEMA),
        ErrorCode.MALFORMED_JSON);
  }

  @Test
  void read_namesEveryProblem_unknownFieldsIncluded() {
    assertThatThrownBy(
            () ->
                JsonBody.read(
                    request(
                        "application/json",
                        "{\"email\":\"nope\",\"count\":1.5,\"extra\":true,\"name\":\"\"}"),
                    SCHEMA))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
              assertThat(e.fields())
                  .extracting(ApiException.FieldProblem::field)
                  .containsExactlyInAnyOrder("email", "count", "extra", "name");
              assertThat(e.fields().toString()).doesNotContain("nope");
            });
  }

  @Test
  void read_refusesCardNumbers_evenInsideUnknownFields() {
    assertThatThrownBy(
            () ->
                JsonBody.read(
                    request(
                        "application/json",
                        "{\"email\":\"a@b.example\",\"note\":{\"x\":[\"pay 4111 1111 1111 1111\"]}}"),
                    SCHEMA))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.fields())
                    .contains(
                        new ApiException.FieldProblem("note", "is not allowed"),
                        new ApiException.FieldProblem("note.x[0]", CardNumbers.PROBLEM)));
  }

  @Test
  void bodyBytes_areMeasuredDecoded() {
    byte[] exact =
        ("{\"email\":\"a@b.example\",\"name\":\"" + "é".repeat(10) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(JsonBody.read(binary(exact), SCHEMA).path("name").asText()).hasSize(10);
  }
}
