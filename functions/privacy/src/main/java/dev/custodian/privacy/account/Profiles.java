package dev.custodian.privacy.account;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.array;
import static dev.custodian.core.validation.Types.bool;
import static dev.custodian.core.validation.Types.integer;
import static dev.custodian.core.validation.Types.phone;
import static dev.custodian.core.validation.Types.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import dev.custodian.core.crypto.FieldAddress;
import dev.custodian.core.crypto.FieldSealer;
import dev.custodian.core.crypto.SubjectErasedException;
import dev.custodian.core.http.ApiException;
import dev.custodian.core.http.ErrorCode;
import dev.custodian.core.json.Json;
import dev.custodian.core.policy.AccountNotices;
import dev.custodian.core.policy.PolicyStamp;
import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.core.validation.CommonSchemas;
import dev.custodian.core.validation.Schema;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Account profiles: name, phone and addresses sealed under the account subject's key, marketing
 * preferences in clear, with optimistic locking ({@code version}) so two devices cannot overwrite
 * each other's changes unseen.
 */
final class Profiles {

  static final Schema UPDATE =
      object()
          .required("version", integer(0, Integer.MAX_VALUE))
          .optional("name", string(1, 200))
          .optional("phone", phone())
          .optional("addresses", array(CommonSchemas.ADDRESS, 0, 5))
          .optional("marketing", object().required("email", bool()));

  private final PrivacyCore core;
  private final String table;
  private final PolicyStamp policy;

  Profiles(PrivacyCore core, String table, PolicyStamp policy) {
    this.core = core;
    this.table = table;
    this.policy = policy;
  }

  Map<String, Object> read(String subjectId, String email) {
    String pk = "profile#" + subjectId;
    Map<String, AttributeValue> item =
        core.liveItem(table, Map.of("pk", AttributeValue.fromS(pk))).orElse(Map.of());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("email", email);
    out.put("version", item.containsKey("version") ? Long.parseLong(item.get("version").n()) : 0);
    try {
      for (String field : new String[] {"name", "phone"}) {
        if (item.containsKey(field)) {
          out.put(field, core.keyring().open(subjectId, address(pk, field), item.get(field)));
        }
      }
      out.put(
          "addresses",
          item.containsKey("addresses")
              ? Json.MAPPER.readTree(
                  core.keyring().open(subjectId, address(pk, "addresses"), item.get("addresses")))
              : Json.MAPPER.createArrayNode());
    } catch (SubjectErasedException | FieldSealer.SealBrokenException | IOException gone) {
      throw ApiException.notFound();
    }
    out.put(
        "marketing",
        Map.of("email", item.containsKey("marketingEmail") && item.get("marketingEmail").bool()));
    return out;
  }

  /**
   * Writes the profile. {@code verifiedEmail} is the account's email when the identity provider
   * vouches for it, else null: it is kept sealed so that material policy changes reach the account
   * holder, and dropped when no longer vouched for.
   */
  Map<String, Object> update(String subjectId, String email, String verifiedEmail, JsonNode body) {
    String pk = "profile#" + subjectId;
    long version = body.get("version").asLong();
    Instant now = core.clock().instant();
    Map<String, AttributeValue> item = new HashMap<>();
    Map<String, Object> current = read(subjectId, email);
    Map<String, AttributeValue> stored =
        core.liveItem(table, Map.of("pk", AttributeValue.fromS(pk))).orElse(Map.of());
    item.put("pk", AttributeValue.fromS(pk));
    item.put("subjectId", AttributeValue.fromS(subjectId));
    item.put("version", AttributeValue.fromN(Long.toString(version + 1)));
    item.put("updatedAt", AttributeValue.fromS(now.toString()));
    String name =
        body.hasNonNull("name") ? body.get("name").asText() : (String) current.get("name");
    String phone =
        body.hasNonNull("phone") ? body.get("phone").asText() : (String) current.get("phone");
    if (name != null) {
      item.put("name", core.keyring().seal(subjectId, address(pk, "name"), name));
    }
    if (phone != null) {
      item.put("phone", core.keyring().seal(subjectId, address(pk, "phone"), phone));
    }
    String addresses =
        body.has("addresses")
            ? body.get("addresses").toString()
            : Json.write(current.get("addresses"));
    item.put("addresses", core.keyring().seal(subjectId, address(pk, "addresses"), addresses));
    boolean marketing =
        body.has("marketing")
            ? body.get("marketing").get("email").asBoolean()
            : (Boolean) ((Map<?, ?>) current.get("marketing")).get("email");
    item.put("marketingEmail", AttributeValue.fromBool(marketing));
    // The version of the policy in force when the profile was written
    // (docs/architecture.md#privacy-policy-versions).
    item.put("policyVersion", AttributeValue.fromS(policy.current()));
    if (verifiedEmail != null) {
      item.put(
          AccountNotices.EMAIL,
          core.keyring().seal(subjectId, AccountNotices.emailAddress(subjectId), verifiedEmail));
    }
    if (stored.containsKey(AccountNotices.NOTICES)) {
      // the versions the account was told of stay told: a rewrite must not send them again
      item.put(AccountNotices.NOTICES, stored.get(AccountNotices.NOTICES));
    }
    item.put(
        RetentionRegistry.EXPIRES_AT,
        core.retention().expiresAtAttribute(DataClass.SUBJECT_PROFILE, now));
    try {
      core.dynamoDb()
          .putItem(
              b ->
                  b.tableName(table)
                      .item(item)
                      .conditionExpression(
                          version == 0 ? "attribute_not_exists(pk)" : "version = :expected")
                      .expressionAttributeValues(
                          version == 0
                              ? null
                              : Map.of(":expected", AttributeValue.fromN(Long.toString(version)))));
    } catch (ConditionalCheckFailedException stale) {
      throw new ApiException(
          ErrorCode.CONFLICT, "The profile changed meanwhile; read it again and retry.");
    }
    return read(subjectId, email);
  }

  private static FieldAddress address(String pk, String attribute) {
    return new FieldAddress("profiles", pk, attribute);
  }
}
