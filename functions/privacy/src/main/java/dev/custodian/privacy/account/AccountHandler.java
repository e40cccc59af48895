package dev.custodian.privacy.account;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.orders.OrderItems;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.requests.RequestType;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.validation.JsonBody;
import dev.custodian.core.validation.Schema;
import dev.custodian.privacy.requests.AccountRequests;
import dev.custodian.privacy.requests.RequestSchemas;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Account routes (JWT authorizer): {@code GET /me}, {@code PUT /me}, {@code GET /me/orders}, {@code
 * POST /me/privacy-requests}. The subject comes only from the token's {@code sub} claim, never from
 * the path or the body; the account also speaks for the subject of its email when the identity
 * provider has verified it.
 */
public final class AccountHandler extends ApiHandler {

  static final Duration RECENT_LOGIN = Duration.ofMinutes(10);
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
  static final Schema ACCOUNT_REQUEST = RequestSchemas.ACCOUNT_REQUEST;

  private final PrivacyCore core;
  private final Profiles profiles;
  private final AccountRequests requests;
  private final String ordersTable;

  public AccountHandler() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: the request path once before the snapshot (refused: no account token)
    prime("GET /me", "/me", null);
  }

  /** Takes its collaborators, for tests. */
  AccountHandler(
      PrivacyCore core, Profiles profiles, AccountRequests requests, String ordersTable) {
    this.core = core;
    this.profiles = profiles;
    this.requests = requests;
    this.ordersTable = ordersTable;
  }

  private AccountHandler(Wired wired) {
    this(wired.core(), wired.profiles(), wired.requests(), wired.ordersTable());
  }

  private record Wired(
      PrivacyCore core, Profiles profiles, AccountRequests requests, String ordersTable) {}

  private static Wired wire(Map<String, String> env) {
    PrivacyCore core =
        new PrivacyCore(
            CoreConfig.fromEnvironment(env), AwsClients.fromEnvironment(env), Clock.systemUTC());
    return new Wired(
        core,
        new Profiles(
            core,
            RuntimeEnvironment.require(env, "PROFILES_TABLE"),
            PolicyStamp.fromEnvironment(core.dynamoDb(), env, core.clock())),
        AccountRequests.fromEnvironment(env, core),
        RuntimeEnvironment.require(env, "ORDERS_TABLE"));
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    Map<String, String> claims =
        request
            .jwtClaims()
            .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "Sign in first."));
    String sub = claims.get("sub");
    if (sub == null || sub.isBlank()) {
      throw new ApiException(ErrorCode.UNAUTHORIZED, "Sign in first.");
    }
    String accountSubject = core.directory().findOrCreateByAccount(sub).subjectId();
    String email = claims.getOrDefault("email", "");
    boolean emailVerified =
        "true".equalsIgnoreCase(claims.get("email_verified")) && !email.isBlank();
    if (emailVerified) {
      // One person: a request verified by a code to this address reaches the account too.
      core.directory().linkAccount(email, accountSubject);
    }
    return switch (request.routeKey()) {
      case "GET /me" -> HttpResponse.ok(profiles.read(accountSubject, email));
      case "PUT /me" ->
          HttpResponse.ok(
              profiles.update(
                  accountSubject,
                  email,
                  emailVerified ? email : null,
                  JsonBody.read(request, Profiles.UPDATE)));
      case "GET /me/orders" ->
          HttpResponse.ok(Map.of("orders", orders(accountSubject, emailVerified ? email : null)));
      case "POST /me/privacy-requests" -> {
        var body = JsonBody.read(request, ACCOUNT_REQUEST);
        if (RequestType.ERASURE.name().equals(body.get("type").asText()) && !recentLogin(claims)) {
          throw new ApiException(
              ErrorCode.REAUTHENTICATION_REQUIRED,
              "Sign in again within the last 10 minutes to erase your data.");
        }
        if (email.isBlank()) {
          throw new ApiException(ErrorCode.UNAUTHORIZED, "The account has no email to answer to.");
        }
        String subject =
            emailVerified
                ? core.directory().findByEmail(email).orElse(accountSubject)
                : accountSubject;
        yield HttpResponse.json(
            202, requests.create(body, subject, accountSubject, email, request.requestId()));
      }
      default -> throw ApiException.notFound();
    };
  }

  private boolean recentLogin(Map<String, String> claims) {
    try {
      long authTime = Long.parseLong(claims.getOrDefault("auth_time", "0"));
      long age = core.clock().instant().getEpochSecond() - authTime;
      // A sign-in in the future is no recent sign-in (a minute of clock skew aside).
      return age >= -CLOCK_SKEW.toSeconds() && age <= RECENT_LOGIN.toSeconds();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private List<Map<String, Object>> orders(String accountSubject, String verifiedEmail) {
    List<String> subjects = new ArrayList<>();
    subjects.add(accountSubject);
    if (verifiedEmail != null) {
      core.directory().findByEmail(verifiedEmail).ifPresent(subjects::add);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    Instant now = core.clock().instant();
    for (String subject : subjects) {
      for (Map<String, AttributeValue> key :
          core.dynamoDb()
              .query(
                  q ->
                      q.tableName(ordersTable)
                          .indexName("bySubject")
                          .keyConditionExpression("subjectId = :s")
                          .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(subject))))
              .items()) {
        if (!OrderItems.isTransaction(key)) {
          continue;
        }
        Map<String, AttributeValue> item =
            core.dynamoDb()
                .getItem(b -> b.tableName(ordersTable).key(OrderItems.primaryKey(key)))
                .item();
        // An order whose retention has ended is gone, whether or not TTL has deleted it yet.
        if (!RetentionRegistry.isLive(item, now)) {
          continue;
        }
        OrderItems.Transaction t = OrderItems.transaction(item);
        if (t.restricted()) {
          continue;
        }
        out.add(
            Map.of(
                "orderId", t.orderId(),
                "status", t.status().name(),
                "createdAt", t.createdAt(),
                "total", t.total(),
                "currency", t.currency()));
      }
    }
    out.sort((a, b) -> ((String) b.get("createdAt")).compareTo((String) a.get("createdAt")));
    return out;
  }
}
