package dev.custodian.privacy.policy;

import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.policy.PolicyVersion;
import dev.custodian.core.policy.PolicyVersions;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The published privacy policy, public and read-only: {@code GET /privacy/policy} (the version in
 * force, with its text), {@code GET /privacy/policy/versions} (the history, newest first) and
 * {@code GET /privacy/policy/versions/{version}} (a past text, so a customer can read what applied
 * when they ordered). The function's role may only read the policy table.
 */
public final class PolicyHandler extends ApiHandler {

  /** Browsers and CDNs may keep an answer this long (seconds); a new version shows after it. */
  static final String CACHE = "public, max-age=60";

  private final PolicyVersions versions;
  private final Clock clock;

  public PolicyHandler() {
    this(policyVersions(RuntimeEnvironment.current()), Clock.systemUTC());
    // SnapStart: the request path once before the snapshot (an unknown version: one read)
    prime("GET /privacy/policy/versions/{version}", "/privacy/policy/versions/priming", null);
  }

  PolicyHandler(PolicyVersions versions, Clock clock) {
    this.versions = versions;
    this.clock = clock;
  }

  private static PolicyVersions policyVersions(Map<String, String> env) {
    return new PolicyVersions(
        AwsClients.fromEnvironment(env).dynamoDb("custodian-policy"),
        RuntimeEnvironment.require(env, PolicyVersions.TABLE_VARIABLE));
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    return switch (request.routeKey()) {
      case "GET /privacy/policy" ->
          cached(
              PolicyViews.full(
                  versions
                      .inForce(clock.instant())
                      .orElseThrow(
                          () ->
                              new ApiException(
                                  ErrorCode.NOT_FOUND,
                                  "No version of the policy is published yet."))));
      case "GET /privacy/policy/versions" -> {
        List<PolicyVersion> all = versions.list();
        yield cached(Map.of("versions", all.stream().map(PolicyViews::summary).toList()));
      }
      case "GET /privacy/policy/versions/{version}" ->
          cached(
              PolicyViews.full(
                  request
                      .pathParameter("version")
                      .flatMap(versions::get)
                      .orElseThrow(ApiException::notFound)));
      default -> throw ApiException.notFound();
    };
  }

  private static HttpResponse cached(Object body) {
    return HttpResponse.ok(body).withHeader("cache-control", CACHE);
  }
}
