package dev.custodian.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's HTTP API event (payload format 2.0) read from the invocation's stream, and the
 * answer written to it, for {@link ApiHandler}: the members the handlers use, streamed, instead of
 * the Lambda runtime's event serializer (a reflective reader that was an eighth of a warm order's
 * CPU time on its container's thread, and a few hundred classes in every cold start). Read: the
 * route key, raw path and query, headers, path and query parameters, cookies, the body and whether
 * it is base64, the request context's request id, route key, stage, HTTP method, path, source IP
 * and user agent, and the authorizer's JWT claims and scopes and IAM user ARN; anything else is
 * skipped. A claim that is not a string (API Gateway sends them as strings) is left out.
 */
final class HttpEventJson {

  /**
   * The event's own limits. The body, one string in it, is refused by size later ({@link
   * dev.custodian.core.validation.JsonBody}), with an answer that says so: its limit is the one the
   * runtime's serializer applied (Jackson's default, 20 million characters), above what API Gateway
   * passes on (10 MB, a third more in base64), so a body the handler used to refuse with a 413 or
   * 415 is not a 500 here; Lambda itself takes at most 6 MB, the local host up to 10 MB.
   */
  private static final JsonFactory EVENTS =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(StreamReadConstraints.DEFAULT_MAX_STRING_LEN)
                  .maxNestingDepth(32)
                  .maxNumberLength(64)
                  .build())
          .build();

  private HttpEventJson() {}

  static APIGatewayV2HTTPEvent read(InputStream in) throws IOException {
    try (JsonParser p = EVENTS.createParser(in)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT);
      APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "version" -> event.setVersion(text(p, value));
          case "routeKey" -> event.setRouteKey(text(p, value));
          case "rawPath" -> event.setRawPath(text(p, value));
          case "rawQueryString" -> event.setRawQueryString(text(p, value));
          case "headers" -> event.setHeaders(strings(p, value));
          case "pathParameters" -> event.setPathParameters(strings(p, value));
          case "queryStringParameters" -> event.setQueryStringParameters(strings(p, value));
          case "stageVariables" -> event.setStageVariables(strings(p, value));
          case "cookies" -> event.setCookies(list(p, value));
          case "body" -> event.setBody(text(p, value));
          case "isBase64Encoded" -> event.setIsBase64Encoded(value == JsonToken.VALUE_TRUE);
          case "requestContext" -> event.setRequestContext(context(p, value));
          default -> p.skipChildren();
        }
      }
      return event;
    }
  }

  static void write(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
    try (JsonGenerator g = EVENTS.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("statusCode", response.getStatusCode());
      strings(g, "headers", response.getHeaders());
      list(g, "cookies", response.getCookies());
      string(g, "body", response.getBody());
      g.writeBooleanField("isBase64Encoded", response.getIsBase64Encoded());
      g.writeEndObject();
    }
  }

  /** The event as API Gateway sends it, with the members {@link #read} reads (priming, tests). */
  static void write(APIGatewayV2HTTPEvent event, OutputStream out) throws IOException {
    try (JsonGenerator g = EVENTS.createGenerator(out)) {
      g.writeStartObject();
      string(g, "version", event.getVersion());
      string(g, "routeKey", event.getRouteKey());
      string(g, "rawPath", event.getRawPath());
      string(g, "rawQueryString", event.getRawQueryString());
      strings(g, "headers", event.getHeaders());
      strings(g, "pathParameters", event.getPathParameters());
      strings(g, "queryStringParameters", event.getQueryStringParameters());
      strings(g, "stageVariables", event.getStageVariables());
      list(g, "cookies", event.getCookies());
      APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
      if (context != null) {
        g.writeObjectFieldStart("requestContext");
        string(g, "requestId", context.getRequestId());
        string(g, "routeKey", context.getRouteKey());
        string(g, "stage", context.getStage());
        if (context.getHttp() != null) {
          g.writeObjectFieldStart("http");
          string(g, "method", context.getHttp().getMethod());
          string(g, "path", context.getHttp().getPath());
          string(g, "protocol", context.getHttp().getProtocol());
          string(g, "sourceIp", context.getHttp().getSourceIp());
          string(g, "userAgent", context.getHttp().getUserAgent());
          g.writeEndObject();
        }
        if (context.getAuthorizer() != null) {
          g.writeObjectFieldStart("authorizer");
          if (context.getAuthorizer().getJwt() != null) {
            g.writeObjectFieldStart("jwt");
            strings(g, "claims", context.getAuthorizer().getJwt().getClaims());
            list(g, "scopes", context.getAuthorizer().getJwt().getScopes());
            g.writeEndObject();
          }
          if (context.getAuthorizer().getIam() != null) {
            g.writeObjectFieldStart("iam");
            string(g, "userArn", context.getAuthorizer().getIam().getUserArn());
            g.writeEndObject();
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      string(g, "body", event.getBody());
      g.writeBooleanField("isBase64Encoded", event.getIsBase64Encoded());
      g.writeEndObject();
    }
  }

  private static void string(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  private static void strings(JsonGenerator g, String name, Map<String, String> values)
      throws IOException {
    if (values != null) {
      g.writeObjectFieldStart(name);
      for (Map.Entry<String, String> value : values.entrySet()) {
        g.writeStringField(value.getKey(), value.getValue());
      }
      g.writeEndObject();
    }
  }

  private static void list(JsonGenerator g, String name, List<String> values) throws IOException {
    if (values != null) {
      g.writeArrayFieldStart(name);
      for (String value : values) {
        g.writeString(value);
      }
      g.writeEndArray();
    }
  }

  private static APIGatewayV2HTTPEvent.RequestContext context(JsonParser p, JsonToken start)
      throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, start, JsonToken.START_OBJECT);
    APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "requestId" -> context.setRequestId(text(p, value));
        case "routeKey" -> context.setRouteKey(text(p, value));
        case "stage" -> context.setStage(text(p, value));
        case "http" -> context.setHttp(http(p, value));
        case "authorizer" -> context.setAuthorizer(authorizer(p, value));
        default -> p.skipChildren();
      }
    }
    return context;
  }

  private static APIGatewayV2HTTPEvent.RequestContext.Http http(JsonParser p, JsonToken start)
      throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, start, JsonToken.START_OBJECT);
    APIGatewayV2HTTPEvent.RequestContext.Http http =
        new APIGatewayV2HTTPEvent.RequestContext.Http();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "method" -> http.setMethod(text(p, value));
        case "path" -> http.setPath(text(p, value));
        case "protocol" -> http.setProtocol(text(p, value));
        case "sourceIp" -> http.setSourceIp(text(p, value));
        case "userAgent" -> http.setUserAgent(text(p, value));
        default -> p.skipChildren();
      }
    }
    return http;
  }

  private static APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer(
      JsonParser p, JsonToken start) throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, start, JsonToken.START_OBJECT);
    APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer =
        new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("jwt") && value == JsonToken.START_OBJECT) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt =
            new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String member = p.currentName();
          JsonToken inner = p.nextToken();
          switch (member) {
            case "claims" -> jwt.setClaims(strings(p, inner));
            case "scopes" -> jwt.setScopes(list(p, inner));
            default -> p.skipChildren();
          }
        }
        authorizer.setJwt(jwt);
      } else if (name.equals("iam") && value == JsonToken.START_OBJECT) {
        APIGatewayV2HTTPEvent.RequestContext.IAM iam =
            new APIGatewayV2HTTPEvent.RequestContext.IAM();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String member = p.currentName();
          JsonToken inner = p.nextToken();
          if (member.equals("userArn")) {
            iam.setUserArn(text(p, inner));
          } else {
            p.skipChildren();
          }
        }
        authorizer.setIam(iam);
      } else {
        p.skipChildren();
      }
    }
    return authorizer;
  }

  /** An object of strings; members whose value is not a string are left out. */
  private static Map<String, String> strings(JsonParser p, JsonToken start) throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, start, JsonToken.START_OBJECT);
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_STRING) {
        out.put(name, p.getText());
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  private static List<String> list(JsonParser p, JsonToken start) throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, start, JsonToken.START_ARRAY);
    List<String> out = new ArrayList<>();
    for (JsonToken value = p.nextToken(); value != JsonToken.END_ARRAY; value = p.nextToken()) {
      if (value == JsonToken.VALUE_STRING) {
        out.add(p.getText());
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (!value.isScalarValue()) {
      throw new IOException("the event's " + p.currentName() + " is not a value");
    }
    return p.getText();
  }

  private static void expect(JsonParser p, JsonToken got, JsonToken wanted) throws IOException {
    if (got != wanted) {
      throw new IOException("the event is not an HTTP API event (" + p.currentName() + ")");
    }
  }
}
