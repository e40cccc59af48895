package dev.custodian.reliability;

import static dev.custodian.reliability.TemplateFacts.functionGlobals;
import static dev.custodian.reliability.TemplateFacts.list;
import static dev.custodian.reliability.TemplateFacts.ofType;
import static dev.custodian.reliability.TemplateFacts.props;
import static dev.custodian.reliability.TemplateFacts.refOrGetAttTarget;
import static dev.custodian.reliability.TemplateFacts.resources;
import static dev.custodian.reliability.TemplateFacts.section;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.LocalCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operations rules of issue 20, read from template.yaml: every alarm pages someone, every
 * function deploys gradually and rolls back on its errors, the workers are capped, the abuse-prone
 * routes have their own limits, access logs hold no IP or user agent, the data key cannot be
 * disabled or deleted but by the break-glass role.
 */
@SuppressWarnings("unchecked")
class OperationsRulesTest {

  /** What on-call must be told of, beyond each function's errors and throttles. */
  static final List<String> REQUIRED_ALARMS =
      List.of(
          "ApiErrorRateAlarm",
          "ErasureQueueAgeAlarm",
          "ErasureDeadLetterAlarm",
          "NotificationQueueAgeAlarm",
          "NotificationDeadLetterAlarm",
          "AnalyticsIteratorAgeAlarm",
          "AnalyticsAggregatorFailuresAlarm",
          "OverdueRequestsAlarm",
          "EmailBounceRateAlarm",
          "EmailComplaintRateAlarm");

  /** Parameters with no safe default: every deploy names them. */
  static final List<String> REQUIRED_PARAMETERS =
      List.of("CorsAllowOrigin", "JwtIssuer", "JwtAudience", "SenderAddress", "AlarmEmail");

  @Test
  void everyAlarm_actsOnTheAlarmTopic_whichEmailsTheAlarmAddress() {
    List<String> broken = new ArrayList<>();
    ofType("AWS::CloudWatch::Alarm")
        .forEach(
            (id, alarm) -> {
              List<Object> actions =
                  (List<Object>) props(alarm).getOrDefault("AlarmActions", List.of());
              if (actions.stream().noneMatch(a -> "AlarmTopic".equals(refOrGetAttTarget(a)))) {
                broken.add(id);
              }
            });
    assertThat(ofType("AWS::CloudWatch::Alarm"))
        .containsKeys(REQUIRED_ALARMS.toArray(String[]::new));
    assertThat(broken).isEmpty();

    List<Object> subscriptions =
        (List<Object>) props(resources().get("AlarmTopic")).get("Subscription");
    assertThat(subscriptions)
        .anySatisfy(
            s -> {
              Map<String, Object> subscription = (Map<String, Object>) s;
              assertThat(subscription.get("Protocol")).isEqualTo("email");
              assertThat(refOrGetAttTarget(subscription.get("Endpoint"))).isEqualTo("AlarmEmail");
            });
  }

  @Test
  void overdueRequestsAlarm_readsTheMetricTheOverdueFunctionPublishes() {
    Map<String, Object> alarm = props(resources().get("OverdueRequestsAlarm"));
    assertThat(alarm)
        .containsEntry("Namespace", "Custodian")
        .containsEntry("MetricName", "OverdueRequests")
        .doesNotContainKey("Dimensions");
  }

  @Test
  void everyFunction_deploysGradually_andRollsBackOnItsOwnErrorsAlarm() {
    Map<String, Object> preference =
        (Map<String, Object>) functionGlobals().get("DeploymentPreference");
    assertThat(String.valueOf(preference.get("Type"))).contains("StageSettings");
    assertThat(functionGlobals()).containsEntry("AutoPublishAlias", "live");
    Map<String, Map<String, Object>> stages =
        (Map<String, Map<String, Object>>) section("Mappings").get("StageSettings");
    assertThat(stages.get("dev")).containsEntry("DeploymentType", "AllAtOnce");
    assertThat(String.valueOf(stages.get("prod").get("DeploymentType"))).startsWith("Canary");

    List<String> broken = new ArrayList<>();
    ofType("AWS::Serverless::Function")
        .forEach(
            (id, f) -> {
              Map<String, Object> own =
                  (Map<String, Object>) props(f).getOrDefault("DeploymentPreference", Map.of());
              List<String> alarms =
                  ((List<Object>) own.getOrDefault("Alarms", List.of()))
                      .stream().map(TemplateFacts::refOrGetAttTarget).toList();
              for (String alarm : List.of(id + "ErrorsAlarm", id + "ThrottlesAlarm")) {
                if (!resources().containsKey(alarm)) {
                  broken.add(id + ": no " + alarm);
                }
              }
              if (!alarms.contains(id + "ErrorsAlarm")) {
                broken.add(id + ": does not roll back on " + id + "ErrorsAlarm");
              }
            });
    assertThat(broken).isEmpty();
  }

  @Test
  void theQueueWorkers_haveReservedConcurrency_andTriggersNoWiderThanIt() {
    for (String id : List.of("ErasureWorkerFunction", "NotifierFunction")) {
      Map<String, Object> p = props(resources().get(id));
      Object reserved = p.get("ReservedConcurrentExecutions");
      assertThat(reserved).as(id + " reserved concurrency").isNotNull();
      Map<String, Object> events = (Map<String, Object>) p.get("Events");
      events.values().stream()
          .map(e -> (Map<String, Object>) e)
          .filter(e -> "SQS".equals(e.get("Type")))
          .forEach(
              e -> {
                Map<String, Object> scaling =
                    (Map<String, Object>)
                        ((Map<String, Object>) e.get("Properties")).get("ScalingConfig");
                assertThat(scaling).as(id + " ScalingConfig").isNotNull();
                assertThat(scaling.get("MaximumConcurrency")).as(id).isEqualTo(reserved);
              });
    }
  }

  @Test
  void theAbuseProneRoutes_haveTighterLimits_describedForTheirRoutes() {
    Map<String, Object> api = props(resources().get("HttpApi"));
    Map<String, Object> routes = (Map<String, Object>) api.get("RouteSettings");
    Map<String, Object> parameters = section("Parameters");
    int defaultRate =
        defaultOf(
            parameters,
            refOrGetAttTarget(
                ((Map<String, Object>) api.get("DefaultRouteSettings"))
                    .get("ThrottlingRateLimit")));
    for (String route : List.of("POST /events", "POST /contact", "POST /privacy/requests")) {
      Map<String, Object> limits = (Map<String, Object>) routes.get(route);
      assertThat(limits).as(route).isNotNull();
      String rate = refOrGetAttTarget(limits.get("ThrottlingRateLimit"));
      assertThat(defaultOf(parameters, rate)).as(route).isLessThan(defaultRate);
      for (String parameter :
          List.of(rate, refOrGetAttTarget(limits.get("ThrottlingBurstLimit")))) {
        String description =
            String.valueOf(((Map<String, Object>) parameters.get(parameter)).get("Description"));
        assertThat(description).as(parameter).contains(route);
      }
    }
  }

  private static int defaultOf(Map<String, Object> parameters, String name) {
    return Integer.parseInt(
        String.valueOf(((Map<String, Object>) parameters.get(name)).get("Default")));
  }

  @Test
  void accessLogs_holdNoIpAddress_noUserAgent_noPathAndNoCaller() throws Exception {
    Map<String, Object> settings =
        (Map<String, Object>) props(resources().get("HttpApi")).get("AccessLogSettings");
    String format = String.valueOf(settings.get("Format"));
    JsonNode fields = new ObjectMapper().readTree(format);
    assertThat(fields.has("requestId") && fields.has("routeKey") && fields.has("status")).isTrue();
    for (String forbidden :
        List.of(
            "sourceIp", "userAgent", "$context.identity", "$context.path", "claims", "caller")) {
      assertThat(format).as("access log format").doesNotContainIgnoringCase(forbidden);
    }
    String group = refOrGetAttTarget(settings.get("DestinationArn"));
    assertThat(props(resources().get(group))).containsKey("RetentionInDays");
  }

  @Test
  void parametersWithoutSafeDefault_haveNone_andRefuseAnEmptyValue() {
    Map<String, Object> parameters = section("Parameters");
    for (String name : REQUIRED_PARAMETERS) {
      Map<String, Object> p = (Map<String, Object>) parameters.get(name);
      assertThat(p).as(name).doesNotContainKey("Default").containsKey("ConstraintDescription");
      String pattern = String.valueOf(p.get("AllowedPattern"));
      assertThat("".matches(pattern)).as(name + " accepts an empty value").isFalse();
      // The local cloud passes its own value: it must pass the same constraint.
      assertThat(LocalCloud.LOCAL_PARAMETERS.get(name)).as(name).matches(pattern);
    }
  }

  @Test
  void theDataKey_canBeDisabledOrDeleted_byTheBreakGlassRoleOnly() {
    Map<String, Object> policy =
        (Map<String, Object>) props(resources().get("DataKey")).get("KeyPolicy");
    List<Map<String, Object>> statements = (List<Map<String, Object>>) policy.get("Statement");
    List<String> dangerous = List.of("kms:DisableKey", "kms:ScheduleKeyDeletion");
    for (Map<String, Object> s : statements) {
      List<String> actions = list(s.get("Action"));
      boolean grantsDanger =
          actions.stream().anyMatch(a -> a.equals("kms:*") || dangerous.contains(a))
              || (s.containsKey("NotAction") && !list(s.get("NotAction")).containsAll(dangerous));
      String principal = refOrGetAttTarget(((Map<String, Object>) s.get("Principal")).get("AWS"));
      if (grantsDanger) {
        assertThat(principal).as("statement " + s.get("Sid")).isEqualTo("KeyBreakGlassRole");
      }
    }
    Map<String, Object> rule = props(resources().get("DataKeyStateRule"));
    assertThat(String.valueOf(rule.get("EventPattern")))
        .contains("DisableKey")
        .contains("ScheduleKeyDeletion");
    assertThat(String.valueOf(rule.get("Targets"))).contains("AlarmTopic");
  }

  @Test
  void theDashboard_showsRoutes_queues_theRequestBacklog_andErasures() throws Exception {
    Map<String, Object> dashboard = props(resources().get("OperationsDashboard"));
    String body =
        String.valueOf(((Map<String, Object>) dashboard.get("DashboardBody")).get("Fn::Sub"));
    JsonNode widgets =
        new ObjectMapper().readTree(body.replaceAll("\\$\\{[^}]+}", "x")).path("widgets");
    assertThat(widgets).hasSizeGreaterThan(5);
    assertThat(body)
        .contains("MetricName=\\\"Latency\\\"")
        .contains("MetricName=\\\"5xx\\\"")
        .contains("${ErasureQueue.QueueName}")
        .contains("${NotificationQueue.QueueName}")
        .contains("ApproximateAgeOfOldestMessage")
        .contains("\"OverdueRequests\"")
        .contains("Erasures");
  }
}
