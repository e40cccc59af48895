package dev.custodian.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.local.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flows the tests share, written once, over the local cloud's API as a person would go through
 * them: place an order, browse, ask for a privacy request, read its code from the outbox, verify
 * it, wait for the worker. Each step fails loudly when the answer is not the expected one, so a
 * test reads as its scenario (docs/local-cloud.md, "Test scenarios").
 */
public final class Scenarios {

  /** The user agent of the page views: a browser, as the analytics route counts only those. */
  private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CODE = Pattern.compile("Your code is ([0-9]{6})");

  private final ApiClient api;

  public Scenarios(ApiClient api) {
    this.api = api;
  }

  /** The scenarios against this local cloud's API. */
  public static Scenarios on(LocalCloud cloud) {
    return new Scenarios(new ApiClient(cloud.baseUri()));
  }

  public ApiClient api() {
    return api;
  }

  /** A privacy request, verified: its id and the bearer token its requester reads it with. */
  public record Request(String id, String token) {
    /** The request whose answer hands over its token: its verification, or an account's request. */
    public static Request from(String id, Response answer) {
      return new Request(id, answer.json().path("requestToken").asText());
    }

    /** The requester's authorization header. */
    public Map<String, String> bearer() {
      return Map.of("authorization", "Bearer " + token);
    }
  }

  /** A new address (prefix, then a random part) that the shop has never seen. */
  private static String newEmail(String prefix) {
    return prefix + "." + UUID.randomUUID() + "@example.com";
  }

  /** A new address the shop knows: one order was placed with it. */
  public String knownEmail(String prefix) {
    String email = newEmail(prefix);
    placeOrder(email);
    return email;
  }

  /** The sample order of {@code events/orders/place-order.json}, for another customer. */
  public static ObjectNode orderBody(String email) {
    try {
      JsonNode event =
          JSON.readTree(Files.readString(ProjectFiles.event("orders/place-order.json")));
      ObjectNode body = (ObjectNode) JSON.readTree(event.path("body").asText());
      ((ObjectNode) body.path("customer")).put("email", email);
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Places the sample order for the address (a new idempotency key each time); answers the created
   * order ({@code orderId}, {@code orderToken}, ...).
   */
  public JsonNode placeOrder(String email) {
    return placeOrder(orderBody(email));
  }

  /** Places an order of this body (see {@link #orderBody}), with a new idempotency key. */
  public JsonNode placeOrder(ObjectNode body) {
    Response placed =
        api.post("/orders", body, Map.of("idempotency-key", "k-" + UUID.randomUUID()));
    if (placed.status() != 201) {
      throw new IllegalStateException("the order answered " + placed.status());
    }
    return placed.json();
  }

  /**
   * Page views of a visitor who consented to analytics, in one batch from a browser, one per path,
   * in a new session: the route's answer.
   */
  public Response pageViews(String visitorId, String... paths) {
    return pageViewsFrom(BROWSER, visitorId, paths);
  }

  /** The same from another user agent. */
  public Response pageViewsFrom(String userAgent, String visitorId, String... paths) {
    ObjectNode body = JSON.createObjectNode();
    body.put("visitorId", visitorId);
    body.put("sessionId", "session-" + UUID.randomUUID());
    body.putObject("consent").put("analytics", true);
    for (String path : paths) {
      body.withArray("events")
          .addObject()
          .put("type", "PAGE_VIEW")
          .put("path", path)
          .put("occurredAt", Instant.now().toString());
    }
    return api.post("/events", body, Map.of("user-agent", userAgent));
  }

  /** Asks for a privacy request of the type for the address: its id (the route answers 202). */
  public String request(String type, String email) {
    return request(type, email, Map.of());
  }

  /** A privacy request with more fields ({@code visitorIds}, {@code regime}, ...): its id. */
  public String request(String type, String email, Map<String, ?> extra) {
    Map<String, Object> body = new HashMap<>(extra);
    body.put("type", type);
    body.put("email", email);
    Response created = api.post("/privacy/requests", body, Map.of());
    if (created.status() != 202) {
      throw new IllegalStateException("the request answered " + created.status());
    }
    return created.json().path("requestId").asText();
  }

  /** The body of the first email in the local outbox to {@code to} that mentions {@code about}. */
  public String awaitEmail(String to, String about) {
    for (int i = 0; i < 150; i++) {
      List<String> bodies = emails(to, about);
      if (!bodies.isEmpty()) {
        return bodies.get(0);
      }
      pause(100);
    }
    throw new IllegalStateException("no email about " + about + " arrived in the outbox");
  }

  /**
   * The bodies of the emails in the local outbox so far to {@code to} that mention {@code about}.
   */
  public List<String> emails(String to, String about) {
    List<String> bodies = new ArrayList<>();
    for (JsonNode m : api.get("/_local/outbox", Map.of()).json().path("messages")) {
      if (m.path("to").toString().contains(to) && m.path("body").asText().contains(about)) {
        bodies.add(m.path("body").asText());
      }
    }
    return bodies;
  }

  /** The verification code emailed for a privacy request. */
  public String code(String email, String requestId) {
    Matcher m = CODE.matcher(awaitEmail(email, requestId));
    if (!m.find()) {
      throw new IllegalStateException("the email about " + requestId + " carries no code");
    }
    return m.group(1);
  }

  /** Sends a code for the request: the route's answer, whatever it is. */
  public Response verify(String requestId, String code) {
    return api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", code), Map.of());
  }

  /**
   * A privacy request of the type for the address, verified with the emailed code. It may still be
   * in progress (see {@link #awaitCompleted}).
   */
  public Request verifiedRequest(String type, String email) {
    return verifiedRequest(type, email, Map.of());
  }

  /** The same, with more fields in the request. */
  public Request verifiedRequest(String type, String email, Map<String, ?> extra) {
    String requestId = request(type, email, extra);
    return verified(requestId, email);
  }

  /** An asked-for request, verified with the code emailed to the address. */
  public Request verified(String requestId, String email) {
    Response verified = verify(requestId, code(email, requestId));
    if (verified.status() != 200) {
      throw new IllegalStateException("verification answered " + verified.status());
    }
    return Request.from(requestId, verified);
  }

  /** The request's record as its requester reads it. */
  public JsonNode status(Request request) {
    return api.get("/privacy/requests/" + request.id(), request.bearer()).json();
  }

  /**
   * The record of a privacy request once it has completed: erasures and exports are done by workers
   * off the request path, so a test waits for them here.
   */
  public JsonNode awaitCompleted(Request request) {
    for (int i = 0; i < 600; i++) {
      JsonNode status = status(request);
      if ("COMPLETED".equals(status.path("status").asText())) {
        return status;
      }
      pause(100);
    }
    throw new IllegalStateException("request " + request.id() + " did not complete");
  }

  /** Erases the person of the address (verified by the emailed code): the completed record. */
  public JsonNode erase(String email) {
    return awaitCompleted(verifiedRequest("ERASURE", email));
  }

  /** The export of an access request (its first page), once the export worker has prepared it. */
  public Response export(Request request) {
    awaitCompleted(request);
    return api.get("/privacy/requests/" + request.id() + "/export", request.bearer());
  }

  /**
   * The headers of an account signed in just now ({@code auth_time} is now, as a recent login is
   * what an erasure from the account needs), with a token the local identity provider mints.
   */
  public Map<String, String> signIn(String sub, String email) {
    return signInAt(sub, email, Instant.now().getEpochSecond());
  }

  /** The same, signed in at another time ({@code auth_time}, epoch seconds). */
  public Map<String, String> signInAt(String sub, String email, long authTime) {
    String token =
        api.post(
                "/_local/token",
                Map.of("sub", sub, "email", email, "email_verified", "true", "auth_time", authTime),
                Map.of())
            .json()
            .path("token")
            .asText();
    return Map.of("authorization", "Bearer " + token);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
