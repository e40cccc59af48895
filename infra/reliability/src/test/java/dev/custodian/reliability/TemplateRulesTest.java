package dev.custodian.reliability;

import static dev.custodian.reliability.TemplateFacts.functionGlobals;
import static dev.custodian.reliability.TemplateFacts.list;
import static dev.custodian.reliability.TemplateFacts.ofType;
import static dev.custodian.reliability.TemplateFacts.props;
import static dev.custodian.reliability.TemplateFacts.refOrGetAttTarget;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment's safety rules, read from template.yaml: what a reviewer would check by hand,
 * checked on every build. Each test names the resources that break its rule.
 */
@SuppressWarnings("unchecked")
class TemplateRulesTest {

  /** Actions AWS only grants on every resource. None is used today; listed here when needed. */
  private static final List<String> STAR_RESOURCE_ACTIONS =
      List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData");

  private static Map<String, Map<String, Object>> resources;

  @BeforeAll
  static void load() {
    resources = TemplateFacts.resources();
  }

  /** Queues that receive what failed elsewhere: dead-letter queues and failure destinations. */
  private static List<String> failureQueues() {
    List<String> out = new ArrayList<>();
    ofType("AWS::SQS::Queue")
        .forEach(
            (id, q) -> {
              if (props(q).get("RedrivePolicy") instanceof Map<?, ?> redrive) {
                out.add(refOrGetAttTarget(redrive.get("deadLetterTargetArn")));
              }
            });
    ofType("AWS::Serverless::Function")
        .forEach(
            (id, f) -> {
              Map<String, Object> events =
                  (Map<String, Object>) props(f).getOrDefault("Events", Map.of());
              events.values().stream()
                  .map(
                      e ->
                          (Map<String, Object>)
                              ((Map<String, Object>) e).getOrDefault("Properties", Map.of()))
                  .map(p -> (Map<String, Object>) p.get("DestinationConfig"))
                  .filter(d -> d != null && d.get("OnFailure") instanceof Map<?, ?>)
                  .forEach(
                      d ->
                          out.add(
                              refOrGetAttTarget(
                                  ((Map<String, Object>) d.get("OnFailure")).get("Destination"))));
            });
    return out;
  }

  @Test
  void everyQueue_isEncrypted_andEveryWorkQueue_hasADeadLetterQueue() {
    List<String> broken = new ArrayList<>();
    List<String> failureQueues = failureQueues();
    ofType("AWS::SQS::Queue")
        .forEach(
            (id, q) -> {
              Map<String, Object> p = props(q);
              boolean encrypted =
                  Boolean.TRUE.equals(p.get("SqsManagedSseEnabled"))
                      || p.get("KmsMasterKeyId") != null;
              if (!encrypted) {
                broken.add(id + ": not encrypted");
              }
              if (!failureQueues.contains(id) && !(p.get("RedrivePolicy") instanceof Map<?, ?>)) {
                broken.add(id + ": no dead-letter queue");
              }
            });
    assertThat(ofType("AWS::SQS::Queue")).isNotEmpty();
    assertThat(broken).isEmpty();
  }

  @Test
  void everyQueueConsumer_reportsItemFailures_andItsQueueOutlastsSixTimeouts() {
    List<String> broken = new ArrayList<>();
    int defaultTimeout =
        Integer.parseInt(String.valueOf(functionGlobals().getOrDefault("Timeout", 3)));
    int consumers = 0;
    for (Map.Entry<String, Map<String, Object>> f :
        ofType("AWS::Serverless::Function").entrySet()) {
      Map<String, Object> p = props(f.getValue());
      int timeout = Integer.parseInt(String.valueOf(p.getOrDefault("Timeout", defaultTimeout)));
      Map<String, Object> events = (Map<String, Object>) p.getOrDefault("Events", Map.of());
      for (Object e : events.values()) {
        Map<String, Object> event = (Map<String, Object>) e;
        if (!"SQS".equals(event.get("Type"))) {
          continue;
        }
        consumers++;
        Map<String, Object> ep = (Map<String, Object>) event.get("Properties");
        if (!String.valueOf(ep.get("FunctionResponseTypes")).contains("ReportBatchItemFailures")) {
          broken.add(f.getKey() + ": no ReportBatchItemFailures");
        }
        String queue = refOrGetAttTarget(ep.get("Queue"));
        Object visibility = props(resources.get(queue)).getOrDefault("VisibilityTimeout", 30);
        if (Integer.parseInt(String.valueOf(visibility)) < 6 * timeout) {
          broken.add(f.getKey() + ": " + queue + " visibility " + visibility + " < 6 x " + timeout);
        }
      }
    }
    assertThat(consumers).isGreaterThanOrEqualTo(2);
    assertThat(broken).isEmpty();
  }

  /** Every IAM statement of the template: function policies, managed policies, key policies. */
  private static Map<String, Map<String, Object>> statements() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    resources.forEach(
        (id, r) -> {
          Map<String, Object> p = props(r);
          List<Object> documents = new ArrayList<>();
          if (p.get("Policies") instanceof List<?> policies) {
            documents.addAll(policies);
          }
          if (p.get("PolicyDocument") != null) {
            documents.add(p.get("PolicyDocument"));
          }
          if (p.get("KeyPolicy") != null) {
            documents.add(p.get("KeyPolicy"));
          }
          int n = 0;
          for (Object document : documents) {
            if (document instanceof Map<?, ?> d && d.get("Statement") instanceof List<?> list) {
              for (Object s : list) {
                out.put(r.get("Type") + " " + id + "#" + n++, (Map<String, Object>) s);
              }
            }
          }
        });
    return out;
  }

  @Test
  void noStatement_allowsEveryAction_orEveryResource_unlessAwsRequiresIt() {
    List<String> broken = new ArrayList<>();
    Map<String, Map<String, Object>> statements = statements();
    statements.forEach(
        (where, s) -> {
          if (!"Allow".equals(s.get("Effect"))) {
            return;
          }
          boolean keyPolicy = where.startsWith("AWS::KMS::Key ");
          for (String action : list(s.get("Action"))) {
            // A key policy must let the account administer its key (else the key is unmanageable).
            if ((action.equals("*") || action.endsWith(":*")) && !keyPolicy) {
              broken.add(where + ": action " + action);
            }
          }
          if (list(s.get("Resource")).contains("*") && !keyPolicy) {
            if (!STAR_RESOURCE_ACTIONS.containsAll(list(s.get("Action")))) {
              broken.add(where + ": resource *");
            }
          }
        });
    assertThat(statements).hasSizeGreaterThan(10);
    assertThat(broken).isEmpty();
  }

  @Test
  void everyKmsPermission_isBoundToAnEncryptionContext_orToDynamoDbEncryption() {
    List<String> broken = new ArrayList<>();
    statements()
        .forEach(
            (where, s) -> {
              if (!"Allow".equals(s.get("Effect")) || where.startsWith("AWS::KMS::Key ")) {
                return;
              }
              if (list(s.get("Action")).stream().noneMatch(a -> a.startsWith("kms:"))) {
                return;
              }
              String condition = String.valueOf(s.get("Condition"));
              // Table encryption goes through DynamoDB, which sets its own context: ViaService.
              if (!condition.contains("kms:EncryptionContext")
                  && !condition.contains("kms:ViaService")) {
                broken.add(where);
              }
            });
    assertThat(broken).isEmpty();
  }

  @Test
  void everyFunctionThatUsesATable_mayLetDynamoDbUseTheTableKey() {
    // The tables are encrypted with the project key and its key policy delegates to IAM: a
    // function without the via-DynamoDB grant is refused by KMS on every read and write in AWS,
    // and no emulator shows it (DynamoDB calls KMS inside AWS).
    List<String> broken = new ArrayList<>();
    ofType("AWS::Serverless::Function")
        .forEach(
            (id, f) -> {
              List<Object> policies =
                  (List<Object>) props(f).getOrDefault("Policies", List.<Object>of());
              boolean usesTables = false;
              for (Object policy : policies) {
                String target = refOrGetAttTarget(policy);
                Object document =
                    target == null ? policy : props(resources.get(target)).get("PolicyDocument");
                if (String.valueOf(document).contains("dynamodb:")) {
                  usesTables = true;
                }
              }
              boolean granted =
                  policies.stream()
                      .anyMatch(p -> "EncryptedTablesPolicy".equals(refOrGetAttTarget(p)));
              if (usesTables && !granted) {
                broken.add(id);
              }
            });
    assertThat(ofType("AWS::IAM::ManagedPolicy")).containsKey("EncryptedTablesPolicy");
    assertThat(broken).isEmpty();
  }

  @Test
  void everyTable_expires_isEncryptedWithTheProjectKey_recoverable_andProtectedInProd() {
    List<String> broken = new ArrayList<>();
    ofType("AWS::DynamoDB::Table")
        .forEach(
            (id, t) -> {
              Map<String, Object> p = props(t);
              Map<String, Object> ttl = (Map<String, Object>) p.get("TimeToLiveSpecification");
              if (ttl == null || !Boolean.TRUE.equals(ttl.get("Enabled"))) {
                broken.add(id + ": no TTL");
              }
              Map<String, Object> sse = (Map<String, Object>) p.get("SSESpecification");
              if (sse == null
                  || !Boolean.TRUE.equals(sse.get("SSEEnabled"))
                  || !"KMS".equals(sse.get("SSEType"))
                  || !"DataKey".equals(refOrGetAttTarget(sse.get("KMSMasterKeyId")))) {
                broken.add(id + ": not encrypted with the project key");
              }
              Map<String, Object> pitr =
                  (Map<String, Object>) p.get("PointInTimeRecoverySpecification");
              if (pitr == null || !Boolean.TRUE.equals(pitr.get("PointInTimeRecoveryEnabled"))) {
                broken.add(id + ": no point-in-time recovery");
              }
              if (!String.valueOf(p.get("DeletionProtectionEnabled")).contains("IsProd")) {
                broken.add(id + ": no deletion protection in prod");
              }
            });
    assertThat(ofType("AWS::DynamoDB::Table")).hasSizeGreaterThan(8);
    assertThat(broken).isEmpty();
  }

  @Test
  void theKeyStore_canBeRestoredForOneDayOnly() {
    // A restore of the key store would bring shredded keys back: docs/privacy.md states this
    // window.
    Map<String, Object> pitr =
        (Map<String, Object>)
            props(resources.get("SubjectsTable")).get("PointInTimeRecoverySpecification");
    assertThat(String.valueOf(pitr.get("RecoveryPeriodInDays"))).isEqualTo("1");
  }

  @Test
  void theOverdueCount_runsOnASchedule_andMayOnlyCountFromTheStatusIndex() {
    // Its metric is what the overdue alarm watches (docs/metrics.md); it reads no request.
    Map<String, Object> function = props(resources.get("OverdueRequestsFunction"));
    Map<String, Object> events = (Map<String, Object>) function.get("Events");
    assertThat(events.values())
        .singleElement()
        .satisfies(e -> assertThat(((Map<String, Object>) e).get("Type")).isEqualTo("Schedule"));
    List<Object> policies = (List<Object>) function.get("Policies");
    List<Object> statements = new ArrayList<>();
    for (Object policy : policies) {
      if (policy instanceof Map<?, ?> inline && inline.get("Statement") instanceof List<?> list) {
        statements.addAll(list);
      } else {
        assertThat(refOrGetAttTarget(policy)).isEqualTo("EncryptedTablesPolicy");
      }
    }
    assertThat(statements)
        .singleElement()
        .satisfies(
            st -> {
              Map<String, Object> statement = (Map<String, Object>) st;
              assertThat(statement.get("Action")).isEqualTo("dynamodb:Query");
              assertThat(String.valueOf(statement.get("Resource")))
                  .contains("${PrivacyRequestsTable.Arn}/index/byStatus");
            });
  }

  @Test
  void everyFunction_logsToItsOwnGroup_withARetention() {
    List<String> broken = new ArrayList<>();
    ofType("AWS::Serverless::Function")
        .forEach(
            (id, f) -> {
              Map<String, Object> logging = (Map<String, Object>) props(f).get("LoggingConfig");
              String group = logging == null ? null : refOrGetAttTarget(logging.get("LogGroup"));
              Map<String, Object> resource = group == null ? null : resources.get(group);
              if (resource == null
                  || !"AWS::Logs::LogGroup".equals(resource.get("Type"))
                  || props(resource).get("RetentionInDays") == null) {
                broken.add(id);
              }
            });
    assertThat(broken).isEmpty();
  }

  @Test
  void everySecretParameter_isNoEcho_withoutADefault_andReadByOneFunctionOnly() {
    // A shared secret (the payment provider's webhook key) is given at deploy time, never shown
    // by CloudFormation, and reaches only the function that checks it: not the Globals, which
    // every function gets.
    Map<String, Object> parameters = TemplateFacts.section("Parameters");
    List<String> broken = new ArrayList<>();
    int secrets = 0;
    for (Map.Entry<String, Object> p : parameters.entrySet()) {
      if (!p.getKey().contains("Secret")) {
        continue;
      }
      secrets++;
      Map<String, Object> definition = (Map<String, Object>) p.getValue();
      if (!Boolean.TRUE.equals(definition.get("NoEcho"))) {
        broken.add(p.getKey() + ": not NoEcho");
      }
      if (definition.get("Default") != null && !"".equals(definition.get("Default"))) {
        broken.add(p.getKey() + ": a default value");
      }
      if (String.valueOf(functionGlobals()).contains("Ref=" + p.getKey() + "}")) {
        broken.add(p.getKey() + ": in the Globals of every function");
      }
      List<String> readers = new ArrayList<>();
      ofType("AWS::Serverless::Function")
          .forEach(
              (id, f) -> {
                if (String.valueOf(props(f).get("Environment"))
                    .contains("Ref=" + p.getKey() + "}")) {
                  readers.add(id);
                }
              });
      if (readers.size() != 1) {
        broken.add(p.getKey() + ": read by " + readers);
      }
    }
    assertThat(secrets).isGreaterThanOrEqualTo(1);
    assertThat(broken).isEmpty();
  }

  @Test
  void cfnLint_findsNothing() throws Exception {
    Process lint;
    try {
      lint =
          new ProcessBuilder("cfn-lint", "template.yaml")
              .directory(ProjectFiles.root().toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException notInstalled) {
      Assumptions.abort("cfn-lint is not installed here (CI installs it and runs it too)");
      return;
    }
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(lint.exitValue()).as(output).isZero();
  }
}
