package dev.custodian.core.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.custodian.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One AWS API call as a SigV4-signed JSON {@code POST} over the container's connections ({@link
 * HttpWire}), with the function's credentials and user agent, as the SDK's client would send it,
 * signed by {@link SigV4}. For the one or two operations of a service that a function calls on its
 * request path, where the SDK's client for the whole service would cost the cold start its model
 * classes, endpoint rules and interceptors (see docs/benchmarks.md): SES v2's {@code SendEmail},
 * SQS's {@code SendMessage}, KMS's {@code GenerateDataKey} and {@code Decrypt}.
 */
public final class SignedJsonCall {

  /** The service answered with an error: its status and type (never its message). */
  public static final class Refused extends RuntimeException {
    private final int status;
    private final String errorType;

    Refused(String service, int status, String errorType) {
      super(service + " refused the call: " + status + " " + errorType, null, false, false);
      this.status = status;
      this.errorType = errorType;
    }

    public int status() {
      return status;
    }

    public String errorType() {
      return errorType;
    }

    /** Whether trying again may succeed: throttling or the service's own failure. */
    public boolean retryable() {
      return status >= 500 || status == 429 || errorType.contains("Throttl");
    }
  }

  private final AwsClients clients;
  private final String signingName;
  private final URI endpoint;
  private final String userAgent;
  private final SigV4 signer;

  /**
   * Calls to a service signed as {@code signingName}, at the configured endpoint override or at
   * {@code https://<host>.<region>.amazonaws.com}.
   */
  public SignedJsonCall(AwsClients clients, String signingName, String host, String caller) {
    this.clients = clients;
    this.signingName = signingName;
    this.endpoint =
        clients
            .endpoint()
            .orElseGet(
                () ->
                    URI.create("https://" + host + "." + clients.region().id() + ".amazonaws.com"));
    this.signer = new SigV4(clients.region().id(), signingName);
    this.userAgent = caller + clients.userAgentSuffix().map(s -> " " + s).orElse("");
  }

  /**
   * Like {@link #post}, with throttling and the service's own failures tried twice more after a
   * short pause, as the SDK's default retries would.
   */
  public byte[] postRetrying(String path, Map<String, String> headers, byte[] payload) {
    for (int attempt = 1; ; attempt++) {
      try {
        return post(path, headers, payload);
      } catch (Refused e) {
        if (!e.retryable() || attempt >= 3) {
          throw e;
        }
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Posts the JSON payload to the path; answers the body, or throws {@link Refused}. */
  public byte[] post(String path, Map<String, String> headers, byte[] payload) {
    Answer answer = exchange(path, headers, payload);
    if (!answer.ok()) {
      throw answer.refusal();
    }
    return answer.body();
  }

  /**
   * A service's answer: its status, the error's type when it refused ({@code null} otherwise) and
   * the body, for a caller that reads more of a refusal than its type (DynamoDB's cancellation
   * reasons). The body of a refusal may carry a message; it is never logged.
   */
  public record Answer(int status, String errorType, byte[] body, String service) {

    public boolean ok() {
      return status / 100 == 2;
    }

    public Refused refusal() {
      return new Refused(service, status, errorType);
    }
  }

  /** Posts the JSON payload to the path and answers whatever came back. */
  public Answer exchange(String path, Map<String, String> headers, byte[] payload) {
    URI uri = under(endpoint, path);
    Map<String, String> unsigned = new LinkedHashMap<>(headers);
    unsigned.put("User-Agent", userAgent);
    Map<String, String> signed =
        signer.sign(
            uri, unsigned, payload, clients.credentials().resolveCredentials(), Instant.now());
    try {
      HttpWire.Answer answer = clients.wire().post(uri, signed, payload);
      int status = answer.status();
      String errorType = status / 100 == 2 ? null : errorType(answer);
      return new Answer(status, errorType, answer.body(), signingName);
    } catch (IOException e) {
      throw new UncheckedIOException(signingName + " could not be reached", e);
    }
  }

  /**
   * The call's path under the endpoint's own (an endpoint override may have one, as the SDK's
   * clients keep it): {@code http://host/prefix} and {@code /} give {@code http://host/prefix/}.
   */
  static URI under(URI endpoint, String path) {
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return endpoint.resolve(base + path);
  }

  /**
   * The body's top-level {@code __type} (or {@code code}), read as a stream that skips everything
   * else: DynamoDB names its error only there, in a body that may also return an item of up to 400
   * KB (a failed condition's), which must not make the type unreadable.
   */
  static String typeInBody(byte[] answer) {
    String type = null;
    String code = null;
    try (JsonParser in = Json.AWS_ANSWERS.getFactory().createParser(answer)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        return "unknown";
      }
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        JsonToken value = in.nextToken();
        if (value == JsonToken.VALUE_STRING && name.equals("__type")) {
          type = in.getText();
        } else if (value == JsonToken.VALUE_STRING && name.equals("code")) {
          code = in.getText();
        } else {
          in.skipChildren();
        }
      }
    } catch (IOException notJson) {
      // whatever was read before the body stopped making sense
    }
    return type != null ? type : code != null ? code : "unknown";
  }

  /** The error's type, from the headers or the body's {@code __type}/{@code code}; no message. */
  private static String errorType(HttpWire.Answer answer) {
    String type = answer.header("x-amzn-query-error");
    if (type == null) {
      type = answer.header("x-amzn-ErrorType");
    }
    if (type == null) {
      type = typeInBody(answer.body());
    }
    int cut = type.indexOf(':');
    cut = cut < 0 ? type.indexOf(';') : cut;
    type = cut < 0 ? type : type.substring(0, cut);
    return type.substring(type.lastIndexOf('#') + 1);
  }
}
