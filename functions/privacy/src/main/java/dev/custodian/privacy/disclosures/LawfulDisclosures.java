package dev.custodian.privacy.disclosures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.audit.AuditRecord;
import dev.custodian.core.audit.AuditRecord.Action;
import dev.custodian.core.audit.AuditRecord.Actor;
import dev.custodian.core.audit.AuditRecord.Outcome;
import dev.custodian.core.audit.AuditRecord.Purpose;
import dev.custodian.core.audit.Disclosure;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.json.Json;
import dev.custodian.core.log.Log;
import dev.custodian.core.retention.DataClass;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Lawful disclosure requests with four eyes: {@link #request} records the authority's request and
 * seals the package of exactly its scope; {@link #approve} by another principal releases it; {@link
 * #readPackage} hands it over and records the disclosure (shown in the person's export once any
 * non-disclosure period is over). Every step is audited.
 */
final class LawfulDisclosures {

  /** Beyond this the package would not fit one item: the scope must be narrowed. */
  static final int MAX_PACKAGE_BYTES = 300_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivacyCore core;
  private final String table;
  private final ScopedPackage packages;

  LawfulDisclosures(PrivacyCore core, String table, ScopedPackage packages) {
    this.core = core;
    this.table = table;
    this.packages = packages;
  }

  /** Records a request and its sealed package; answers the request as operators see it. */
  Map<String, Object> request(ObjectNode body, String operator, String requestId) {
    JsonNode scope = body.get("scope");
    List<DataClass> classes = new ArrayList<>();
    for (JsonNode c : scope.get("dataClasses")) {
      DataClass dataClass = DataClass.valueOf(c.asText());
      if (!classes.contains(dataClass)) {
        classes.add(dataClass);
      }
    }
    Instant from = Instant.parse(scope.get("from").asText());
    Instant to = Instant.parse(scope.get("to").asText());
    if (!from.isBefore(to)) {
      throw ApiException.invalid("scope.to", "must be after scope.from");
    }
    if (scope.has("subjectId") == scope.has("email")) {
      throw ApiException.invalid(
          "scope", "must name the person by subjectId or by email, not both");
    }
    Optional<String> subject =
        scope.has("subjectId")
            ? Optional.of(scope.get("subjectId").asText()).filter(core.keyring()::isHeld)
            : core.directory().findByEmail(scope.get("email").asText());
    if (subject.isEmpty() || !core.keyring().isHeld(subject.get())) {
      throw new ApiException(ErrorCode.NOT_FOUND, "No data is held about that person.");
    }
    String subjectId = subject.get();
    Instant now = core.clock().instant();
    Instant nonDisclosureUntil =
        body.has("nonDisclosureUntil")
            ? Instant.parse(body.get("nonDisclosureUntil").asText())
            : null;
    // The person must be able to learn of the disclosure while its records are still kept: a
    // non-disclosure period may not outlast them (the records would expire unseen).
    for (DataClass kept : List.of(DataClass.DISCLOSURE, DataClass.AUDIT)) {
      java.util.Optional<java.time.Duration> period = core.retention().period(kept);
      if (nonDisclosureUntil != null
          && period.isPresent()
          && nonDisclosureUntil.isAfter(
              now.plus(period.get()).minus(java.time.Duration.ofDays(30)))) {
        throw ApiException.invalid(
            "nonDisclosureUntil",
            "must end at least 30 days before the disclosure's records expire ("
                + period.get().toDays()
                + " days): the person must be able to learn of it");
      }
    }
    String disclosureId = "d_" + randomHex();
    ScopedPackage.Built built = packages.build(subjectId, classes, from, to);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("disclosureId", disclosureId);
    document.put("authority", body.get("authority").asText());
    document.put("legalBasis", body.get("legalBasis").asText());
    document.put("reference", body.get("reference").asText());
    document.put("scope", scopeOf(subjectId, classes, from, to));
    document.put("generatedAt", now.toString());
    document.put("data", built.data());
    String json = Json.write(document);
    if (json.length() > MAX_PACKAGE_BYTES) {
      throw new ApiException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "The scope holds too much for one package: narrow the period.");
    }
    DisclosureItems.Request request =
        new DisclosureItems.Request(
            disclosureId,
            body.get("authority").asText(),
            body.get("legalBasis").asText(),
            body.get("reference").asText(),
            subjectId,
            classes,
            from,
            to,
            nonDisclosureUntil,
            operator,
            now,
            DisclosureItems.AWAITING,
            null,
            null,
            null,
            built.records());
    AttributeValue sealedPackage;
    try {
      sealedPackage =
          core.keyring().seal(subjectId, DisclosureItems.packageAddress(disclosureId), json);
    } catch (SubjectErasedException erased) {
      throw new ApiException(ErrorCode.NOT_FOUND, "No data is held about that person.");
    }
    Map<String, AttributeValue> packageItem =
        new java.util.HashMap<>(DisclosureItems.packageKey(disclosureId));
    packageItem.put("package", sealedPackage);
    packageItem.put("expiresAt", core.retention().expiresAtAttribute(DataClass.EXPORT, now));
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        put(
            DisclosureItems.item(
                request, core.retention().expiresAtAttribute(DataClass.DISCLOSURE, now))));
    writes.add(put(packageItem));
    writes.add(
        core.audit()
            .asTransactPut(
                audit(
                    Actor.operator(operator), Action.CREATE, disclosureId, subjectId, requestId)));
    core.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
    Log.info(
        "lawful disclosure requested",
        "disclosureId",
        disclosureId,
        "records",
        built.records().size());
    return view(request);
  }

  /** The request as operators see it (never the package's contents). */
  Map<String, Object> read(String disclosureId, String operator, String requestId) {
    DisclosureItems.Request request = load(disclosureId);
    recordOperator(operator, Action.READ, request, Outcome.SUCCESS, requestId);
    return view(request);
  }

  /** A second, different principal approves; the requester cannot approve their own request. */
  Map<String, Object> approve(String disclosureId, String operator, String requestId) {
    DisclosureItems.Request request = load(disclosureId);
    // Case does not make another person: IAM session names are compared as IAM compares names.
    if (request.requestedBy().equalsIgnoreCase(operator)) {
      recordOperator(operator, Action.UPDATE, request, Outcome.DENIED, requestId);
      throw new ApiException(
          ErrorCode.FORBIDDEN, "A second operator must approve: the requester cannot.");
    }
    Instant now = core.clock().instant();
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        TransactWriteItem.builder()
            .update(
                u ->
                    u.tableName(table)
                        .key(DisclosureItems.key(disclosureId))
                        .updateExpression("SET #s = :approved, approvedBy = :by, approvedAt = :at")
                        .conditionExpression("#s = :awaiting AND requestedBy <> :by")
                        .expressionAttributeNames(Map.of("#s", DisclosureItems.STATUS))
                        .expressionAttributeValues(
                            Map.of(
                                ":approved", AttributeValue.fromS(DisclosureItems.APPROVED),
                                ":awaiting", AttributeValue.fromS(DisclosureItems.AWAITING),
                                ":by", AttributeValue.fromS(operator),
                                ":at", AttributeValue.fromS(now.toString()))))
            .build());
    writes.add(
        core.audit()
            .asTransactPut(
                audit(
                    Actor.operator(operator),
                    Action.UPDATE,
                    disclosureId,
                    request.subjectId(),
                    requestId)));
    try {
      core.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
    } catch (TransactionCanceledException e) {
      throw new ApiException(ErrorCode.CONFLICT, "The request is already approved.");
    }
    return view(load(disclosureId));
  }

  /**
   * The package, once approved: the first hand-over records the disclosure (to the authority, with
   * the non-disclosure period); later reads are audited reads.
   */
  String readPackage(String disclosureId, String operator, String requestId) {
    DisclosureItems.Request request = load(disclosureId);
    if (!DisclosureItems.APPROVED.equals(request.status())) {
      recordOperator(operator, Action.READ, request, Outcome.DENIED, requestId);
      throw new ApiException(
          ErrorCode.CONFLICT, "The package can be read once a second operator has approved it.");
    }
    Map<String, AttributeValue> item =
        core.liveItem(table, DisclosureItems.packageKey(disclosureId))
            .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "The package has expired."));
    String json;
    try {
      json =
          core.keyring()
              .open(
                  request.subjectId(),
                  DisclosureItems.packageAddress(disclosureId),
                  item.get("package"));
    } catch (SubjectErasedException erased) {
      throw new ApiException(ErrorCode.NOT_FOUND, "The person has been erased since.");
    }
    Instant now = core.clock().instant();
    if (request.disclosedAt() == null) {
      List<TransactWriteItem> writes = new ArrayList<>();
      writes.add(
          TransactWriteItem.builder()
              .update(
                  u ->
                      u.tableName(table)
                          .key(DisclosureItems.key(disclosureId))
                          .updateExpression("SET disclosedAt = :at")
                          .conditionExpression("attribute_not_exists(disclosedAt)")
                          .expressionAttributeValues(
                              Map.of(":at", AttributeValue.fromS(now.toString()))))
              .build());
      writes.add(
          core.audit()
              .asTransactPut(
                  new Disclosure(
                      Actor.operator(operator),
                      recipientName(request.authority()),
                      Purpose.LEGAL_OBLIGATION,
                      request.legalBasis(),
                      request.dataClasses(),
                      disclosureId,
                      request.records(),
                      request.subjectId(),
                      request.nonDisclosureUntil(),
                      requestId,
                      Outcome.SUCCESS)));
      try {
        core.dynamoDb().transactWriteItems(b -> b.transactItems(writes));
        return json;
      } catch (TransactionCanceledException handedOverMeanwhile) {
        // another read recorded the disclosure first: this one is an audited read
      }
    }
    recordOperator(operator, Action.READ, request, Outcome.SUCCESS, requestId);
    return json;
  }

  private DisclosureItems.Request load(String disclosureId) {
    if (!disclosureId.matches("d_[0-9a-f]{32}")) {
      throw ApiException.notFound();
    }
    return core.liveItem(table, DisclosureItems.key(disclosureId))
        .map(DisclosureItems::read)
        .orElseThrow(ApiException::notFound);
  }

  private static String recipientName(String authority) {
    // the audit trail holds no email: an authority is named, not addressed
    return authority.replace('@', ' ');
  }

  private static AuditRecord audit(
      Actor actor, Action action, String disclosureId, String subjectId, String requestId) {
    return audit(actor, action, disclosureId, subjectId, Outcome.SUCCESS, requestId);
  }

  private static AuditRecord audit(
      Actor actor,
      Action action,
      String disclosureId,
      String subjectId,
      Outcome outcome,
      String requestId) {
    return new AuditRecord(
        actor,
        action,
        DataClass.DISCLOSURE,
        disclosureId,
        subjectId,
        Purpose.LEGAL_OBLIGATION,
        outcome,
        requestId);
  }

  /** An operator's action on a stored request, audited on its own (not within a transaction). */
  private void recordOperator(
      String operator,
      Action action,
      DisclosureItems.Request request,
      Outcome outcome,
      String requestId) {
    core.audit()
        .record(
            audit(
                Actor.operator(operator),
                action,
                request.disclosureId(),
                request.subjectId(),
                outcome,
                requestId));
  }

  private TransactWriteItem put(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  private static Map<String, Object> scopeOf(
      String subjectId, List<DataClass> classes, Instant from, Instant to) {
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("subjectId", subjectId);
    scope.put("dataClasses", classes.stream().map(Enum::name).toList());
    scope.put("from", from.toString());
    scope.put("to", to.toString());
    return scope;
  }

  private static Map<String, Object> view(DisclosureItems.Request r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("disclosureId", r.disclosureId());
    out.put("status", r.status());
    out.put("authority", r.authority());
    out.put("legalBasis", r.legalBasis());
    out.put("reference", r.reference());
    out.put("scope", scopeOf(r.subjectId(), r.dataClasses(), r.from(), r.to()));
    if (r.nonDisclosureUntil() != null) {
      out.put("nonDisclosureUntil", r.nonDisclosureUntil().toString());
    }
    out.put("records", r.records().size());
    out.put("requestedBy", r.requestedBy());
    out.put("requestedAt", r.requestedAt().toString());
    if (r.approvedBy() != null) {
      out.put("approvedBy", r.approvedBy());
      out.put("approvedAt", r.approvedAt().toString());
    }
    if (r.disclosedAt() != null) {
      out.put("disclosedAt", r.disclosedAt().toString());
    }
    return out;
  }

  private static String randomHex() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
