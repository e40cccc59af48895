package dev.custodian.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.custodian.local.ProjectFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP API event as {@link ApiHandler} reads it from Lambda's stream, held to the Lambda
 * runtime's own event serializer (which the handlers used before) on every sample event of the
 * project, and the answer it writes, read back by that serializer.
 */
class HttpEventJsonTest {

  /** The members the handlers and their logs use. */
  private static final String[] READ =
      List.of(
              "version",
              "routeKey",
              "rawPath",
              "rawQueryString",
              "headers",
              "pathParameters",
              "queryStringParameters",
              "stageVariables",
              "cookies",
              "body",
              "isBase64Encoded",
              "requestContext.requestId",
              "requestContext.routeKey",
              "requestContext.stage",
              "requestContext.http",
              "requestContext.authorizer.jwt",
              "requestContext.authorizer.iam.userArn")
          .toArray(String[]::new);

  private static final PojoSerializer<APIGatewayV2HTTPEvent> RUNTIME =
      LambdaEventSerializers.serializerFor(
          APIGatewayV2HTTPEvent.class, HttpEventJsonTest.class.getClassLoader());

  static Stream<Path> httpEvents() throws IOException {
    return Files.walk(ProjectFiles.root().resolve("events"))
        .filter(p -> p.toString().endsWith(".json"))
        .filter(
            p -> {
              try {
                String json = Files.readString(p);
                return json.contains("\"routeKey\"") && json.contains("\"requestContext\"");
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .sorted();
  }

  @Test
  void theSampleEvents_includeEveryKindOfCaller() throws IOException {
    List<String> all = httpEvents().map(p -> readString(p)).toList();
    assertThat(all).hasSizeGreaterThan(20);
    assertThat(all).anyMatch(json -> json.contains("\"jwt\""));
    assertThat(all).anyMatch(json -> json.contains("\"iam\""));
    assertThat(all).anyMatch(json -> json.contains("\"pathParameters\""));
    assertThat(all).anyMatch(json -> json.contains("\"queryStringParameters\""));
  }

  @ParameterizedTest
  @MethodSource("httpEvents")
  void everySampleEvent_readsAsTheRuntimesSerializerReadsIt(Path file) throws IOException {
    byte[] json = Files.readAllBytes(file);
    APIGatewayV2HTTPEvent ours = HttpEventJson.read(new ByteArrayInputStream(json));
    APIGatewayV2HTTPEvent runtimes = RUNTIME.fromJson(new ByteArrayInputStream(json));

    assertThat(ours).usingRecursiveComparison().comparingOnlyFields(READ).isEqualTo(runtimes);
    HttpRequest a = new HttpRequest(ours);
    HttpRequest b = new HttpRequest(runtimes);
    assertThat(a.routeKey()).isEqualTo(b.routeKey());
    assertThat(a.requestId()).isEqualTo(b.requestId()).isNotEmpty();
    assertThat(a.jwtClaims()).isEqualTo(b.jwtClaims());
    assertThat(a.iamPrincipal()).isEqualTo(b.iamPrincipal());
    assertThat(a.bodyBytes()).isEqualTo(b.bodyBytes());

    // and what it writes, it reads back the same
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    HttpEventJson.write(ours, written);
    assertThat(HttpEventJson.read(new ByteArrayInputStream(written.toByteArray())))
        .usingRecursiveComparison()
        .comparingOnlyFields(READ)
        .isEqualTo(ours);
  }

  @Test
  void theAnswer_isWhatTheRuntimesSerializerReads() throws IOException {
    APIGatewayV2HTTPResponse answer = new APIGatewayV2HTTPResponse();
    answer.setStatusCode(201);
    answer.setHeaders(Map.of("content-type", "application/json", "x-a", "é \"quoted\""));
    answer.setCookies(List.of("a=b; Secure"));
    answer.setBody("{\"orderId\":\"o_1\",\"note\":\"line\\nbreak ✓\"}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HttpEventJson.write(answer, out);

    APIGatewayV2HTTPResponse read =
        LambdaEventSerializers.serializerFor(
                APIGatewayV2HTTPResponse.class, getClass().getClassLoader())
            .fromJson(new ByteArrayInputStream(out.toByteArray()));
    assertThat(read).usingRecursiveComparison().isEqualTo(answer);
  }

  @Test
  void aClaimThatIsNotAString_isLeftOut_andUnknownMembersAreSkipped() throws IOException {
    String json =
        "{\"routeKey\":\"GET /me\",\"future\":{\"deep\":[1,{\"x\":null}]},"
            + "\"requestContext\":{\"requestId\":\"r1\",\"authorizer\":{\"jwt\":{\"claims\":"
            + "{\"sub\":\"s1\",\"groups\":[\"a\"],\"n\":3,\"email\":\"e@x\"},\"scopes\":null},"
            + "\"lambda\":{\"k\":\"v\"}}},\"body\":null,\"isBase64Encoded\":false}";
    APIGatewayV2HTTPEvent event = HttpEventJson.read(bytes(json));
    assertThat(event.getRouteKey()).isEqualTo("GET /me");
    assertThat(event.getRequestContext().getAuthorizer().getJwt().getClaims())
        .containsExactly(Map.entry("sub", "s1"), Map.entry("email", "e@x"));
    assertThat(event.getBody()).isNull();
  }

  @Test
  void aBodyOfAMegabyte_isRead_forTheHandlerToRefuseBySize() throws IOException {
    String big = "x".repeat(1024 * 1024);
    APIGatewayV2HTTPEvent event =
        HttpEventJson.read(bytes("{\"routeKey\":\"POST /contact\",\"body\":\"" + big + "\"}"));
    assertThat(event.getBody()).hasSize(big.length());
  }

  /**
   * API Gateway takes bodies up to 10 MB and base64-encodes binary ones (a third longer); the local
   * gateway passes them on. The runtime's serializer read them (its string limit is Jackson's
   * default, 20 million characters), and the handler refused them by size or type, with an answer
   * that says so. A read that throws instead is a 500 with no reason.
   */
  @Test
  void aBase64BodyAsLargeAsTheGatewayTakes_isReadAsTheRuntimesSerializerReadsIt()
      throws IOException {
    String body = Base64.getEncoder().encodeToString(new byte[10 * 1024 * 1024]);
    byte[] json =
        ("{\"routeKey\":\"POST /contact\",\"body\":\"" + body + "\",\"isBase64Encoded\":true}")
            .getBytes(StandardCharsets.UTF_8);

    APIGatewayV2HTTPEvent runtimes = RUNTIME.fromJson(new ByteArrayInputStream(json));
    APIGatewayV2HTTPEvent ours = HttpEventJson.read(new ByteArrayInputStream(json));

    assertThat(ours.getBody()).hasSize(body.length()).isEqualTo(runtimes.getBody());
    assertThat(ours.getIsBase64Encoded()).isTrue();
  }

  @Test
  void somethingElseThanAnEvent_isAnError() {
    assertThatThrownBy(() -> HttpEventJson.read(bytes("[1,2]"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> HttpEventJson.read(bytes("{\"headers\":[\"a\"]}")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> HttpEventJson.read(bytes("{\"routeKey\":{\"a\":1}}")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> HttpEventJson.read(bytes("{\"routeKey\":\"x\"")))
        .isInstanceOf(IOException.class);
  }

  private static ByteArrayInputStream bytes(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
