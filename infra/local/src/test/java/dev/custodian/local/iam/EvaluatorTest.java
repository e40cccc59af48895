package dev.custodian.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A table of evaluation cases: policies, calls as they come over the wire, and the decision. */
class EvaluatorTest {

  private static final String ACCOUNT = "123456789012";
  private static final String TABLE = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/Orders";
  private static final String OTHER = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/Other";
  private static final String KEY = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/k-1";
  private static final String QUEUE = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":mail";

  private static final ResourceNames NAMES =
      new ResourceNames() {
        @Override
        public String tableArn(String table) {
          return table.startsWith("arn:")
              ? table
              : "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/" + table;
        }

        @Override
        public Optional<String> partitionKey(String tableArn) {
          return Optional.of("pk");
        }

        @Override
        public String queueArn(String queueUrl) {
          return queueArnByName(queueUrl.substring(queueUrl.lastIndexOf('/') + 1));
        }

        @Override
        public String queueArnByName(String name) {
          return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name;
        }

        @Override
        public String keyArn(String keyIdOrAlias) {
          return keyIdOrAlias.equals("alias/data") ? KEY : keyIdOrAlias;
        }

        @Override
        public String emailIdentityArn(String identity) {
          return "arn:aws:ses:us-east-1:" + ACCOUNT + ":identity/" + identity;
        }

        @Override
        public String configurationSetArn(String name) {
          return "arn:aws:ses:us-east-1:" + ACCOUNT + ":configuration-set/" + name;
        }

        @Override
        public String account() {
          return ACCOUNT;
        }
      };

  private static Statement allow(List<String> actions, List<String> resources) {
    return new Statement(null, true, actions, false, resources, false, Map.of());
  }

  private static Statement allowIf(
      List<String> actions, List<String> resources, Map<String, Map<String, List<String>>> c) {
    return new Statement(null, true, actions, false, resources, false, c);
  }

  private static Statement deny(List<String> actions, List<String> resources) {
    return new Statement(null, false, actions, false, resources, false, Map.of());
  }

  /** A call over the wire: the X-Amz-Target (or null for REST), path and JSON body. */
  record Call(String target, String path, String body) {}

  private static Call dynamo(String operation, String body) {
    return new Call("DynamoDB_20120810." + operation, "/", body);
  }

  private static Call kms(String operation, String body) {
    return new Call("TrentService." + operation, "/", body);
  }

  private static final Map<String, Map<String, List<String>>> SUBJECT_DATA_ONLY =
      Map.of(
          "StringEquals", Map.of("kms:EncryptionContext:purpose", List.of("subject-data")),
          "ForAllValues:StringEquals",
              Map.of("kms:EncryptionContextKeys", List.of("purpose", "subjectId")));

  static Stream<Arguments> cases() {
    String getOrder = "{\"TableName\":\"Orders\",\"Key\":{\"pk\":{\"S\":\"order#1\"}}}";
    return Stream.of(
        Arguments.of(
            "an exact allow",
            List.of(allow(List.of("dynamodb:GetItem"), List.of(TABLE))),
            dynamo("GetItem", getOrder),
            true,
            null),
        Arguments.of(
            "default deny: nothing allows the action",
            List.of(allow(List.of("dynamodb:PutItem"), List.of(TABLE))),
            dynamo("GetItem", getOrder),
            false,
            "dynamodb:GetItem on " + TABLE),
        Arguments.of(
            "default deny: another table",
            List.of(allow(List.of("dynamodb:GetItem"), List.of(OTHER))),
            dynamo("GetItem", getOrder),
            false,
            "no identity-based policy allows"),
        Arguments.of(
            "an explicit deny wins over an allow",
            List.of(
                allow(List.of("dynamodb:*"), List.of("*")),
                deny(List.of("dynamodb:GetItem"), List.of(TABLE))),
            dynamo("GetItem", getOrder),
            false,
            "explicit deny"),
        Arguments.of(
            "action wildcards, case-insensitive",
            List.of(allow(List.of("DynamoDB:get*"), List.of("arn:aws:dynamodb:*:*:table/Ord?rs"))),
            dynamo("GetItem", getOrder),
            true,
            null),
        Arguments.of(
            "NotAction allows everything else",
            List.of(
                new Statement(
                    null,
                    true,
                    List.of("dynamodb:DeleteItem"),
                    true,
                    List.of("*"),
                    false,
                    Map.of())),
            dynamo("GetItem", getOrder),
            true,
            null),
        Arguments.of(
            "NotResource leaves out the named table",
            List.of(
                new Statement(
                    null,
                    true,
                    List.of("dynamodb:GetItem"),
                    false,
                    List.of(TABLE),
                    true,
                    Map.of())),
            dynamo("GetItem", getOrder),
            false,
            "no identity-based policy"),
        Arguments.of(
            "a query on an index needs the index ARN, not the table's",
            List.of(allow(List.of("dynamodb:Query"), List.of(TABLE))),
            dynamo("Query", "{\"TableName\":\"Orders\",\"IndexName\":\"bySubject\"}"),
            false,
            TABLE + "/index/bySubject"),
        Arguments.of(
            "an index wildcard allows a query on the index",
            List.of(allow(List.of("dynamodb:Query"), List.of(TABLE + "/index/*"))),
            dynamo("Query", "{\"TableName\":\"Orders\",\"IndexName\":\"bySubject\"}"),
            true,
            null),
        Arguments.of(
            "a transaction needs each part's action on its table",
            List.of(
                allow(List.of("dynamodb:PutItem"), List.of(TABLE)),
                allow(List.of("dynamodb:PutItem"), List.of(OTHER))),
            dynamo(
                "TransactWriteItems",
                "{\"TransactItems\":[{\"Put\":{\"TableName\":\"Orders\",\"Item\":{}}},"
                    + "{\"Update\":{\"TableName\":\"Other\",\"Key\":{}}}]}"),
            false,
            "dynamodb:UpdateItem on " + OTHER),
        Arguments.of(
            "a transaction with every part allowed",
            List.of(
                allow(List.of("dynamodb:PutItem"), List.of(TABLE)),
                allow(
                    List.of("dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"), List.of(OTHER))),
            dynamo(
                "TransactWriteItems",
                "{\"TransactItems\":[{\"Put\":{\"TableName\":\"Orders\",\"Item\":{}}},"
                    + "{\"Update\":{\"TableName\":\"Other\",\"Key\":{}}},"
                    + "{\"ConditionCheck\":{\"TableName\":\"Other\",\"Key\":{}}}]}"),
            true,
            null),
        Arguments.of(
            "TransactWriteItems itself is not an action that helps",
            List.of(allow(List.of("dynamodb:TransactWriteItems"), List.of("*"))),
            dynamo(
                "TransactWriteItems",
                "{\"TransactItems\":[{\"Delete\":{\"TableName\":\"Orders\",\"Key\":{}}}]}"),
            false,
            "dynamodb:DeleteItem"),
        Arguments.of(
            "TransactGetItems needs GetItem",
            List.of(allow(List.of("dynamodb:GetItem"), List.of(TABLE))),
            dynamo(
                "TransactGetItems",
                "{\"TransactItems\":[{\"Get\":{\"TableName\":\"Orders\",\"Key\":{}}}]}"),
            true,
            null),
        Arguments.of(
            "a batch write is its own action on every table named",
            List.of(
                allow(List.of("dynamodb:PutItem", "dynamodb:DeleteItem"), List.of(TABLE, OTHER)),
                allow(List.of("dynamodb:BatchWriteItem"), List.of(TABLE))),
            dynamo(
                "BatchWriteItem",
                "{\"RequestItems\":{\"Orders\":[{\"PutRequest\":{\"Item\":{}}}],"
                    + "\"Other\":[{\"DeleteRequest\":{\"Key\":{}}}]}}"),
            false,
            "dynamodb:BatchWriteItem on " + OTHER),
        Arguments.of(
            "a batch get is its own action",
            List.of(allow(List.of("dynamodb:GetItem"), List.of(TABLE))),
            dynamo("BatchGetItem", "{\"RequestItems\":{\"Orders\":{\"Keys\":[{}]}}}"),
            false,
            "dynamodb:BatchGetItem on " + TABLE),
        Arguments.of(
            "leading keys limit an item call to the named partitions",
            List.of(
                allowIf(
                    List.of("dynamodb:GetItem"),
                    List.of(TABLE),
                    Map.of(
                        "ForAllValues:StringLike",
                        Map.of("dynamodb:LeadingKeys", List.of("secret#*"))))),
            dynamo("GetItem", getOrder),
            false,
            "no identity-based policy"),
        Arguments.of(
            "a subject key unwrapped under its own purpose",
            List.of(allowIf(List.of("kms:Decrypt"), List.of(KEY), SUBJECT_DATA_ONLY)),
            kms(
                "Decrypt",
                "{\"KeyId\":\"alias/data\",\"EncryptionContext\":"
                    + "{\"purpose\":\"subject-data\",\"subjectId\":\"s_1\"}}"),
            true,
            null),
        Arguments.of(
            "another purpose's context is denied",
            List.of(allowIf(List.of("kms:Decrypt"), List.of(KEY), SUBJECT_DATA_ONLY)),
            kms(
                "Decrypt",
                "{\"KeyId\":\""
                    + KEY
                    + "\",\"EncryptionContext\":"
                    + "{\"purpose\":\"blind-index\",\"index\":\"subject-lookup\"}}"),
            false,
            "kms:Decrypt on " + KEY),
        Arguments.of(
            "an extra context key fails ForAllValues",
            List.of(allowIf(List.of("kms:Decrypt"), List.of(KEY), SUBJECT_DATA_ONLY)),
            kms(
                "Decrypt",
                "{\"KeyId\":\""
                    + KEY
                    + "\",\"EncryptionContext\":"
                    + "{\"purpose\":\"subject-data\",\"subjectId\":\"s\",\"x\":\"y\"}}"),
            false,
            "no identity-based policy"),
        Arguments.of(
            "no context at all fails StringEquals on a context key",
            List.of(allowIf(List.of("kms:Decrypt"), List.of(KEY), SUBJECT_DATA_ONLY)),
            kms("Decrypt", "{\"KeyId\":\"" + KEY + "\"}"),
            false,
            "no identity-based policy"),
        Arguments.of(
            "StringLike on a context value",
            List.of(
                allowIf(
                    List.of("kms:GenerateDataKey"),
                    List.of(KEY),
                    Map.of(
                        "StringLike",
                        Map.of("kms:EncryptionContext:index", List.of("analytics-*"))))),
            kms(
                "GenerateDataKey",
                "{\"KeyId\":\""
                    + KEY
                    + "\",\"EncryptionContext\":"
                    + "{\"purpose\":\"blind-index\",\"index\":\"analytics-pseudonym\"}}"),
            true,
            null),
        Arguments.of(
            "a condition on a key absent from the call holds with IfExists",
            List.of(
                allowIf(
                    List.of("kms:GenerateDataKey"),
                    List.of(KEY),
                    Map.of("StringEqualsIfExists", Map.of("kms:ViaService", List.of("x"))))),
            kms("GenerateDataKey", "{\"KeyId\":\"" + KEY + "\"}"),
            true,
            null),
        Arguments.of(
            "an unknown condition key fails closed and is named",
            List.of(
                allowIf(
                    List.of("kms:Decrypt"),
                    List.of(KEY),
                    Map.of("StringEquals", Map.of("aws:SourceVpce", List.of("v"))))),
            kms("Decrypt", "{\"KeyId\":\"" + KEY + "\"}"),
            false,
            "aws:SourceVpce"),
        Arguments.of(
            "an unknown operator fails closed and is named",
            List.of(
                allowIf(
                    List.of("kms:Decrypt"),
                    List.of(KEY),
                    Map.of("DateGreaterThan", Map.of("kms:ViaService", List.of("x"))))),
            kms("Decrypt", "{\"KeyId\":\"" + KEY + "\"}"),
            false,
            "DateGreaterThan"),
        Arguments.of(
            "a Decrypt that names no key cannot be authorized",
            List.of(allow(List.of("kms:*"), List.of("*"))),
            kms("Decrypt", "{\"CiphertextBlob\":\"AAAA\"}"),
            false,
            "without a KeyId"),
        Arguments.of(
            "SQS batch sends are authorized as SendMessage on the queue",
            List.of(allow(List.of("sqs:SendMessage"), List.of(QUEUE))),
            new Call(
                "AmazonSQS.SendMessageBatch",
                "/",
                "{\"QueueUrl\":\"http://127.0.0.1:1/" + ACCOUNT + "/mail\",\"Entries\":[]}"),
            true,
            null),
        Arguments.of(
            "SES v2 SendEmail is authorized on the sender's identity",
            List.of(
                allow(
                    List.of("ses:SendEmail"),
                    List.of(
                        "arn:aws:ses:us-east-1:" + ACCOUNT + ":identity/privacy@shop.example"))),
            new Call(
                null,
                "/v2/email/outbound-emails",
                "{\"FromEmailAddress\":\"Shop <privacy@shop.example>\"}"),
            true,
            null),
        Arguments.of(
            "SES v2 SendEmail from another identity",
            List.of(
                allow(
                    List.of("ses:SendEmail"),
                    List.of(
                        "arn:aws:ses:us-east-1:" + ACCOUNT + ":identity/privacy@shop.example"))),
            new Call(
                null, "/v2/email/outbound-emails", "{\"FromEmailAddress\":\"x@evil.example\"}"),
            false,
            "identity/x@evil.example"));
  }

  private static IamGate gate(List<Statement> statements, boolean enforcing) {
    Role role =
        new Role("Fn", statements.stream().map(s -> new Role.Grant("test policy", s)).toList());
    return new IamGate(Map.of("Fn", role), NAMES, Set.of(), enforcing);
  }

  private static Optional<IamGate.Denial> send(IamGate gate, Call call) {
    return gate.check(
        IamGate.accessKeyOf("Fn"),
        call.target(),
        "POST",
        call.path(),
        call.body().getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluatesAsIamDoes(
      String name, List<Statement> statements, Call call, boolean allowed, String because) {
    IamGate gate = gate(statements, true);

    Optional<IamGate.Denial> denial = send(gate, call);

    assertThat(denial.isEmpty()).as(name).isEqualTo(allowed);
    if (!allowed) {
      IamGate.Denial d = denial.orElseThrow();
      assertThat(d.line() + " " + d.because()).as(name).contains(because);
      assertThat(gate.denials()).containsExactly(d);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void letsEverythingThrough_whenNotEnforcing(
      String name, List<Statement> statements, Call call, boolean allowed, String because) {
    IamGate gate = gate(statements, false);

    assertThat(send(gate, call)).isEmpty();
    assertThat(gate.denials()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void anAccessKeyOfNoFunction_isDenied_andTheAccountsOwnKeyPasses() {
    Role role = new Role("Fn", List.of(new Role.Grant("p", allow(List.of("*"), List.of("*")))));
    IamGate gate = new IamGate(Map.of("Fn", role), NAMES, Set.of("admin"), true);
    byte[] body = "{\"TableName\":\"Orders\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(gate.check("LOCALNobody", "DynamoDB_20120810.Scan", "POST", "/", body))
        .hasValueSatisfying(d -> assertThat(d.because()).contains("no function"));
    assertThat(gate.check(null, "DynamoDB_20120810.Scan", "POST", "/", body)).isPresent();
    assertThat(gate.check("admin", "DynamoDB_20120810.Scan", "POST", "/", body)).isEmpty();
  }
}
