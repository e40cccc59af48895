package dev.custodian.privacy.disclosures;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.array;
import static dev.custodian.core.validation.Types.email;
import static dev.custodian.core.validation.Types.instant;
import static dev.custodian.core.validation.Types.matching;
import static dev.custodian.core.validation.Types.oneOf;
import static dev.custodian.core.validation.Types.string;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ApiHandler;
import dev.custodian.core.http.HttpRequest;
import dev.custodian.core.http.HttpResponse;
import dev.custodian.core.validation.JsonBody;
import dev.custodian.core.validation.Schema;
import dev.custodian.privacy.requests.ExportContents;
import dev.custodian.privacy.requests.PrivacyRequestHandler;
import java.time.Clock;
import java.util.Map;

/**
 * Operator routes (IAM) of lawful disclosures: {@code POST /admin/disclosures}, {@code GET
 * /admin/disclosures/{disclosureId}}, {@code POST .../approve} (another principal) and {@code GET
 * .../package} (once approved).
 */
public final class DisclosureAdminHandler extends ApiHandler {

  static final String DISCLOSURES_TABLE = "DISCLOSURES_TABLE";

  static final Schema REQUEST =
      object()
          .required("authority", matching(2, 200, "[^@\\p{Cntrl}]+", "the authority's name"))
          .required("legalBasis", string(3, 500))
          .required("reference", matching(1, 100, "[^@\\p{Cntrl}]+", "the authority's reference"))
          .required(
              "scope",
              object()
                  .optional(
                      "subjectId",
                      matching(34, 34, "s_[0-9a-f]{32}", "a subject id (s_ and 32 hex)"))
                  .optional("email", email())
                  .required(
                      "dataClasses",
                      array(
                          oneOf(
                              ScopedPackage.DISCLOSABLE.stream()
                                  .map(Enum::name)
                                  .sorted()
                                  .toArray(String[]::new)),
                          1,
                          4))
                  .required("from", instant())
                  .required("to", instant()))
          .optional("nonDisclosureUntil", instant());

  private final LawfulDisclosures disclosures;

  public DisclosureAdminHandler() {
    this(wire(RuntimeEnvironment.current()));
    // SnapStart: the request path once before the snapshot (refused before any read)
    prime("GET /admin/disclosures/{disclosureId}", "/admin/disclosures/x", null);
  }

  DisclosureAdminHandler(LawfulDisclosures disclosures) {
    this.disclosures = disclosures;
  }

  private static LawfulDisclosures wire(Map<String, String> env) {
    CoreConfig config = CoreConfig.fromEnvironment(env);
    PrivacyCore core = new PrivacyCore(config, AwsClients.fromEnvironment(env), Clock.systemUTC());
    return new LawfulDisclosures(
        core,
        RuntimeEnvironment.require(env, DISCLOSURES_TABLE),
        new ScopedPackage(
            new ExportContents(core, PrivacyRequestHandler.subjectRecords(env, core))));
  }

  @Override
  protected HttpResponse serve(HttpRequest request) {
    String operator = request.operator();
    return switch (request.routeKey()) {
      case "POST /admin/disclosures" ->
          HttpResponse.json(
              201,
              disclosures.request(JsonBody.read(request, REQUEST), operator, request.requestId()));
      case "GET /admin/disclosures/{disclosureId}" ->
          HttpResponse.ok(disclosures.read(id(request), operator, request.requestId()));
      case "POST /admin/disclosures/{disclosureId}/approve" ->
          HttpResponse.ok(disclosures.approve(id(request), operator, request.requestId()));
      case "GET /admin/disclosures/{disclosureId}/package" ->
          HttpResponse.ok(
              parse(disclosures.readPackage(id(request), operator, request.requestId())));
      default -> throw ApiException.notFound();
    };
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return dev.custodian.core.json.Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable package", e);
    }
  }

  private static String id(dev.custodian.core.http.HttpRequest request) {
    return request.pathParameter("disclosureId").orElseThrow(ApiException::notFound);
  }
}
