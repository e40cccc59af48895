package dev.custodian.local;

import dev.custodian.local.emulator.CloudSelection;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.emulator.EmulatorProxy;
import dev.custodian.local.gateway.Gateway;
import dev.custodian.local.gateway.HttpApi;
import dev.custodian.local.gateway.LocalJwt;
import dev.custodian.local.gateway.StaticSite;
import dev.custodian.local.iam.IamGate;
import dev.custodian.local.pollers.EventSources;
import dev.custodian.local.pollers.Outbox;
import dev.custodian.local.pollers.TtlSweeper;
import dev.custodian.local.resources.Provisioner;
import dev.custodian.local.runtime.FunctionCatalog;
import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import dev.custodian.local.runtime.RoleCatalog;
import dev.custodian.local.runtime.ServedFunctions;
import dev.custodian.local.template.Template;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.regions.Region;

/**
 * The whole API on 127.0.0.1: an emulator (moto, unless an endpoint is given), the template's
 * resources on it, every function in its own class loader behind a local API Gateway, SQS pollers
 * and a TTL sweeper. The integration tests run against the same thing.
 */
public final class LocalCloud implements AutoCloseable {

  /**
   * Local values of the parameters a deploy must be given (the template has no default for them, so
   * a deploy without them fails): the local token issuer and audience, sender, website origin and
   * alarm address. {@code --param} still overrides each.
   */
  public static final Map<String, String> LOCAL_PARAMETERS =
      Map.of(
          "JwtIssuer", "https://auth.custodian.local/",
          "JwtAudience", "custodian-local",
          "SenderAddress", "privacy@custodian.local",
          "CorsAllowOrigin", "http://localhost:8080",
          "AlarmEmail", "alarms@custodian.local");

  /**
   * Which of the template's functions to serve. The CLI serves all and fails on a missing jar; a
   * module's integration tests run before later modules are packaged, so they serve the built ones.
   */
  public enum Functions {
    ALL,
    BUILT,
    NONE
  }

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Emulator emulator;
  private final Provisioner provisioner;
  private final Gateway gateway;
  private final TtlSweeper sweeper;
  private final LocalJwt jwt = new LocalJwt();
  private final ServedFunctions served;
  private final EventSources events;
  private final List<String> provisioned;
  private final List<FunctionSpec> functions;
  private final IamGate iam;
  private final String stackName;
  private final boolean ofTheProjectTemplate;
  private final EmulatorProxy proxy;
  private final byte[] paymentSecret;
  private final Template template;
  private final String region;
  private String tokenIssuer = LOCAL_PARAMETERS.get("JwtIssuer");
  private List<String> tokenAudience = List.of(LOCAL_PARAMETERS.get("JwtAudience"));

  private LocalCloud(LocalCloudOptions options) throws IOException {
    URI endpoint = CloudSelection.start(options.endpoint(), options.cloud(), resources::add);
    emulator = new Emulator(endpoint, Region.of(options.region()));
    resources.add(emulator);
    template = loadTemplate(options);
    region = options.region();
    stackName = options.stackName();
    // Only the project's own template counts towards its granted-against-used report.
    ofTheProjectTemplate = isProjectTemplate(options.template());
    provisioner =
        new Provisioner(
            template, emulator, options.stackName(), options.queueVisibilityTimeoutSeconds());
    provisioned = provisioner.provisionAll();
    paymentSecret = LocalShop.provideWebhookSecret(template, emulator, provisioner.ref("DataKey"));

    // Every call of a function goes through the proxy, which authorizes it with the function's
    // role (each container has an access key naming its function, as each Lambda has its role's).
    iam =
        new IamGate(
            RoleCatalog.read(template),
            provisioner.names().resourceNames(),
            Set.of(Emulator.ACCESS_KEY_ID),
            options.iam());
    proxy = new EmulatorProxy(endpoint, iam);
    resources.add(proxy);
    System.out.println(
        options.iam()
            ? "IAM: enforced (each function's calls checked against its role in the template)"
            : "IAM: off (--iam off): every call reaches the emulator unchecked");
    functions = FunctionCatalog.read(template, provisioner, runtimeEnvironment(options));

    HttpApi api = HttpApi.read(template, provisioner);
    String apiArn =
        "arn:aws:execute-api:"
            + options.region()
            + ":"
            + Emulator.ACCOUNT_ID
            + ":"
            + api.id()
            + "/$default/";
    gateway =
        new Gateway(
            options.port(),
            jwt,
            new LocalRoutes(this, new Outbox(endpoint), paymentSecret),
            api.cors(),
            (accessKey, method, path) -> iam.invoker(accessKey, apiArn + method + path),
            StaticSite.besideTemplate(options.template()).orElse(null));
    resources.add(gateway);
    served =
        new ServedFunctions(
            functions,
            function -> serves(options.functions(), function),
            options.region(),
            Emulator.ACCOUNT_ID,
            options.maxContainers());
    resources.add(served);
    events =
        new EventSources(
            endpoint, emulator.sqs(), provisioner::queueUrlForArn, options.region(), iam);
    resources.add(events);
    for (FunctionHost host : served.all()) {
      for (FunctionSpec.HttpRoute route : host.spec().routes()) {
        gateway.bind(route, host);
        if (route.auth().kind() == FunctionSpec.Auth.Kind.JWT) {
          tokenIssuer = route.auth().issuer();
          tokenAudience = route.auth().audience();
        }
      }
      events.attach(host);
    }
    LocalShop.seed(served, template);
    sweeper = new TtlSweeper(emulator.dynamoDb(), List.copyOf(provisioner.tables().values()));
    resources.add(sweeper.every(options.ttlSweepInterval()));
    gateway.start();
    events.start();
  }

  /** The template with the options' parameters and the stack's pseudo parameters. */
  private static Template loadTemplate(LocalCloudOptions options) throws IOException {
    return Template.load(
        options.template(),
        options.parameters(),
        LOCAL_PARAMETERS,
        Map.of(
            "AWS::Region",
            options.region(),
            "AWS::AccountId",
            Emulator.ACCOUNT_ID,
            "AWS::StackName",
            options.stackName(),
            "AWS::Partition",
            "aws",
            "AWS::URLSuffix",
            "amazonaws.com"));
  }

  /** What the Lambda runtime sets for every function, besides the template's own variables. */
  private Map<String, String> runtimeEnvironment(LocalCloudOptions options) {
    Map<String, String> runtime = new LinkedHashMap<>();
    runtime.put("AWS_REGION", options.region());
    runtime.put("AWS_DEFAULT_REGION", options.region());
    runtime.put("AWS_SECRET_ACCESS_KEY", Emulator.SECRET_ACCESS_KEY);
    runtime.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    return runtime;
  }

  private static boolean serves(Functions which, FunctionSpec function) {
    if (which == Functions.BUILT && !Files.exists(function.code())) {
      System.out.println(
          "  not serving " + function.logicalId() + ": no jar at " + function.code());
      return false;
    }
    return which != Functions.NONE;
  }

  /**
   * Seeds a cloud that serves no function as a served one is seeded at start (the sample catalogue
   * and the first policy version, through the operators' routes): the two admin functions run for
   * the seeding only and are closed after, so nothing stays warm beside the cold starts measured on
   * such a cloud.
   */
  public void seedShop() throws IOException {
    LocalShop.seedUnserved(functions, region, template);
  }

  /** Starts everything; the caller closes it (which stops moto too). */
  public static LocalCloud start(LocalCloudOptions options) throws IOException {
    return new LocalCloud(options);
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + gateway.port());
  }

  public Emulator emulator() {
    return emulator;
  }

  /**
   * The proxy every function's AWS calls pass through: it authorizes them (IAM), and counts, times
   * and can fail them for tests and benchmarks.
   */
  public EmulatorProxy proxy() {
    return proxy;
  }

  /** The IAM gate: the roles it enforces, the calls it denied and the permissions used. */
  public IamGate iam() {
    return iam;
  }

  /** The lines describing what was created, for the start-up log. */
  public List<String> provisioned() {
    return provisioned;
  }

  /** The physical value of {@code Ref logicalId}: a table's name, a queue's URL, a key's id. */
  public String ref(String logicalId) {
    String value = provisioner.ref(logicalId);
    if (value == null) {
      throw new IllegalArgumentException("No resource " + logicalId);
    }
    return value;
  }

  /** The environment the template gives a function (with local names), by logical id. */
  public Map<String, String> environmentOf(String functionLogicalId) {
    return functions.stream()
        .filter(f -> f.logicalId().equals(functionLogicalId))
        .findFirst()
        .map(FunctionSpec::environment)
        .orElseThrow(() -> new IllegalArgumentException("No function " + functionLogicalId));
  }

  /**
   * The environment of a function with the account's own credentials and the emulator's direct
   * endpoint instead of the function's: for tests that set up or inspect data as the function would
   * see it, outside the function's role (an observer, not the function under test).
   */
  public Map<String, String> accountEnvironmentOf(String functionLogicalId) {
    Map<String, String> env = new LinkedHashMap<>(environmentOf(functionLogicalId));
    env.put("AWS_ACCESS_KEY_ID", Emulator.ACCESS_KEY_ID);
    env.put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
    return Map.copyOf(env);
  }

  /** A function of the template: its name, handler, packaged code and environment. */
  public record Function(
      String logicalId, String name, String handler, Path code, Map<String, String> environment) {}

  /** One of the template's functions, by logical id. */
  public Function function(String logicalId) {
    return functions().stream()
        .filter(f -> f.logicalId().equals(logicalId))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No function " + logicalId));
  }

  /** The template's functions, in template order. */
  public List<Function> functions() {
    return functions.stream()
        .map(f -> new Function(f.logicalId(), f.name(), f.handler(), f.code(), f.environment()))
        .toList();
  }

  /** Every message body the pollers delivered from a queue (by logical id), raw, oldest first. */
  public List<String> deliveredMessages(String queueLogicalId) {
    return events.delivered(ref(queueLogicalId));
  }

  /** The physical names of every table of the template. */
  public List<String> tableNames() {
    return provisioner.tables().values().stream().map(Provisioner.TableSpec::name).toList();
  }

  /** How many containers each function has started so far, by logical id. */
  public Map<String, Integer> coldStarts() {
    return served.coldStarts();
  }

  /** The last invocation's duration and CPU time of a served function, as Lambda reports it. */
  public FunctionHost.Report lastReport(String functionLogicalId) {
    return served.lastReport(functionLogicalId);
  }

  /**
   * Invokes a function directly, as Lambda's Invoke API would (no gateway): the event and the
   * answer are JSON. A function error is an {@link IllegalStateException}.
   */
  public String invoke(String functionLogicalId, String eventJson) {
    return served.invoke(functionLogicalId, eventJson);
  }

  /**
   * Waits until every stream consumer has handled what its stream held when called (the analytics
   * aggregates are counted asynchronously, as in AWS). False if that took longer than the timeout.
   */
  public boolean awaitStreams(Duration timeout) {
    return events.awaitStreams(timeout);
  }

  /**
   * Waits until every queue consumer is idle (nothing waiting or in flight, no batch in its
   * function), twice in a row; answers false when that did not happen within the timeout (a message
   * a test leaves failing keeps its queue busy).
   */
  public boolean awaitQueues(Duration timeout) {
    return events.awaitQueues(timeout);
  }

  /** The largest iterator age of the stream consumers (Lambda's {@code IteratorAge}), in ms. */
  public long streamIteratorAgeMillis() {
    return events.streamIteratorAgeMillis();
  }

  /** Pauses (or resumes) every stream consumer: records wait in their streams meanwhile. */
  public void pauseStreams(boolean paused) {
    events.pauseStreams(paused);
  }

  /** Retires a function's warm containers: its next invocation is a cold start. */
  public void retireContainers(String functionLogicalId) {
    served.retireContainers(functionLogicalId);
  }

  /** Runs the TTL sweeper now; returns how many expired items it deleted. */
  public int sweepTtl() {
    return sweeper.sweep();
  }

  /** An account token for {@code sub}, as the shop's identity provider would issue it. */
  public String mintToken(Map<String, Object> claims) {
    return jwt.mint(claims, tokenIssuer, tokenAudience);
  }

  /**
   * The payment provider's webhook secret that the payment function opens (for tests that sign
   * events of their own); null when the template has none.
   */
  public byte[] paymentWebhookSecret() {
    return paymentSecret == null ? null : paymentSecret.clone();
  }

  /** The signature header value a payment provider sends for this body at this time. */
  public String signPaymentEvent(long epochSeconds, byte[] body) {
    return LocalShop.signature(paymentSecret, epochSeconds, body);
  }

  private static boolean isProjectTemplate(Path template) {
    try {
      return Files.isSameFile(template, ProjectFiles.root().resolve("template.yaml"));
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }

  @Override
  public void close() {
    String usage = System.getProperty("custodian.iam.usage");
    if (usage != null && !usage.isBlank() && ofTheProjectTemplate) {
      try {
        dev.custodian.local.iam.IamReport.writeUsage(
            iam, provisioner.names().logicalNaming(), Path.of(usage), stackName);
      } catch (IOException | RuntimeException e) {
        System.err.println("[local] IAM usage not written: " + e.getClass().getSimpleName());
      }
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        System.err.println("[local] closing: " + e.getClass().getSimpleName());
      }
    }
  }
}
