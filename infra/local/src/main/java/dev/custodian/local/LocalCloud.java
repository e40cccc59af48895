package dev.custodian.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.emulator.CloudSelection;
import dev.custodian.local.emulator.Emulator;
import dev.custodian.local.emulator.EmulatorProxy;
import dev.custodian.local.emulator.LocalStack;
import dev.custodian.local.emulator.MotoServer;
import dev.custodian.local.gateway.Gateway;
import dev.custodian.local.gateway.LocalJwt;
import dev.custodian.local.gateway.StaticSite;
import dev.custodian.local.iam.IamGate;
import dev.custodian.local.pollers.Outbox;
import dev.custodian.local.pollers.QueuePoller;
import dev.custodian.local.pollers.StreamPoller;
import dev.custodian.local.pollers.TtlSweeper;
import dev.custodian.local.resources.Provisioner;
import dev.custodian.local.runtime.FunctionCatalog;
import dev.custodian.local.runtime.FunctionHost;
import dev.custodian.local.runtime.FunctionSpec;
import dev.custodian.local.runtime.RoleCatalog;
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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.regions.Region;

/**
 * The whole API on 127.0.0.1: an emulator (moto, unless an endpoint is given), the template's
 * resources on it, every function in its own class loader behind a local API Gateway, SQS pollers
 * and a TTL sweeper. The integration tests run against the same thing.
 */
public final class LocalCloud implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

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
  private final Outbox outbox;
  private final LocalJwt jwt = new LocalJwt();
  private final Map<String, FunctionHost> hosts = new LinkedHashMap<>();
  private final List<QueuePoller> pollers = new ArrayList<>();
  private final List<StreamPoller> streamPollers = new ArrayList<>();
  private final List<String> provisioned;
  private final List<FunctionSpec> functions;
  private final IamGate iam;
  private final String stackName;
  private final boolean ofTheProjectTemplate;
  private final EmulatorProxy proxy;
  private final byte[] paymentSecret;
  private String tokenIssuer = LOCAL_PARAMETERS.get("JwtIssuer");
  private List<String> tokenAudience = List.of(LOCAL_PARAMETERS.get("JwtAudience"));

  private LocalCloud(LocalCloudOptions options) throws IOException {
    CloudSelection.Choice choice =
        CloudSelection.choose(
            options.endpoint().map(URI::toString).orElse(null),
            options.cloud(),
            LocalStack::dockerAnswers);
    System.out.println(choice.describe());
    URI endpoint;
    switch (choice.kind()) {
      case EXTERNAL -> endpoint = choice.endpoint().orElseThrow();
      case LOCALSTACK -> {
        LocalStack localStack = LocalStack.start();
        resources.add(localStack);
        endpoint = localStack.endpoint();
      }
      default -> {
        MotoServer moto = MotoServer.start();
        resources.add(moto);
        endpoint = moto.endpoint();
      }
    }
    emulator = new Emulator(endpoint, Region.of(options.region()));
    resources.add(emulator);
    Template template =
        Template.load(
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
            java.util.Set.of(Emulator.ACCESS_KEY_ID),
            options.iam());
    proxy = new EmulatorProxy(endpoint, iam);
    resources.add(proxy);
    System.out.println(
        options.iam()
            ? "IAM: enforced (each function's calls checked against its role in the template)"
            : "IAM: off (--iam off): every call reaches the emulator unchecked");
    Map<String, String> runtime = new LinkedHashMap<>();
    runtime.put("AWS_REGION", options.region());
    runtime.put("AWS_DEFAULT_REGION", options.region());
    runtime.put("AWS_SECRET_ACCESS_KEY", Emulator.SECRET_ACCESS_KEY);
    runtime.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    functions = FunctionCatalog.read(template, provisioner, runtime);

    String apiArn =
        "arn:aws:execute-api:"
            + options.region()
            + ":"
            + Emulator.ACCOUNT_ID
            + ":"
            + httpApiId(template)
            + "/$default/";
    gateway =
        new Gateway(
            options.port(),
            jwt,
            this::localRoute,
            cors(template),
            (accessKey, method, path) -> iam.invoker(accessKey, apiArn + method + path),
            StaticSite.besideTemplate(options.template()).orElse(null));
    resources.add(gateway);
    for (FunctionSpec function : functions) {
      if (options.functions() == Functions.NONE) {
        break;
      }
      if (options.functions() == Functions.BUILT && !Files.exists(function.code())) {
        System.out.println(
            "  not serving " + function.logicalId() + ": no jar at " + function.code());
        continue;
      }
      FunctionHost host =
          new FunctionHost(
              function,
              "arn:aws:lambda:"
                  + options.region()
                  + ":"
                  + Emulator.ACCOUNT_ID
                  + ":function:"
                  + function.name(),
              options.maxContainers());
      hosts.put(function.logicalId(), host);
      resources.add(host);
      for (FunctionSpec.HttpRoute route : function.routes()) {
        gateway.bind(route, host);
        if (route.auth().kind() == FunctionSpec.Auth.Kind.JWT) {
          tokenIssuer = route.auth().issuer();
          tokenAudience = route.auth().audience();
        }
      }
      for (FunctionSpec.StreamSource source : function.streams()) {
        StreamPoller poller = new StreamPoller(endpoint, options.region(), host, source, iam);
        streamPollers.add(poller);
        resources.add(poller);
      }
      for (FunctionSpec.QueueSource source : function.queues()) {
        QueuePoller poller =
            new QueuePoller(
                emulator.sqs(),
                host,
                source,
                provisioner.queueUrlForArn(source.queueArn()),
                options.region(),
                iam);
        pollers.add(poller);
        resources.add(poller);
      }
    }
    FunctionHost catalogueAdmin = hosts.get("CatalogueAdminFunction");
    Path sample = LocalShop.sampleCatalogue(template.directory());
    if (catalogueAdmin != null && sample != null) {
      System.out.println(
          "  catalogue: "
              + LocalShop.seedCatalogue(catalogueAdmin, sample)
              + " sample products from "
              + LocalShop.SAMPLE_CATALOGUE);
    }
    FunctionHost policyAdmin = hosts.get("PolicyAdminFunction");
    String firstVersion = template.parameter(LocalShop.POLICY_VERSION_PARAMETER);
    if (policyAdmin != null && firstVersion != null) {
      System.out.println("  policy: " + LocalShop.seedPolicy(policyAdmin, firstVersion));
    }
    sweeper = new TtlSweeper(emulator.dynamoDb(), List.copyOf(provisioner.tables().values()));
    outbox = new Outbox(endpoint);
    ScheduledExecutorService schedule =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ttl-sweeper");
              t.setDaemon(true);
              return t;
            });
    long every = options.ttlSweepInterval().toMillis();
    schedule.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    resources.add(schedule::shutdownNow);
    gateway.start();
    pollers.forEach(QueuePoller::start);
    streamPollers.forEach(StreamPoller::start);
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
    String url = ref(queueLogicalId);
    List<String> out = new ArrayList<>();
    for (QueuePoller poller : pollers) {
      if (poller.queueUrl().equals(url)) {
        out.addAll(poller.delivered());
      }
    }
    return out;
  }

  /** The physical names of every table of the template. */
  public java.util.List<String> tableNames() {
    return provisioner.tables().values().stream().map(Provisioner.TableSpec::name).toList();
  }

  /** How many containers each function has started so far, by logical id. */
  public Map<String, Integer> coldStarts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    hosts.forEach((id, host) -> out.put(id, host.coldStarts()));
    return out;
  }

  /**
   * Invokes a function directly, as Lambda's Invoke API would (no gateway): the event and the
   * answer are JSON. A function error is an {@link IllegalStateException}.
   */
  public String invoke(String functionLogicalId, String eventJson) {
    FunctionHost host = hosts.get(functionLogicalId);
    if (host == null) {
      throw new IllegalArgumentException("No function served as " + functionLogicalId);
    }
    try {
      return host.invokeSync(eventJson, java.util.UUID.randomUUID().toString());
    } catch (FunctionHost.InvocationFailed e) {
      throw new IllegalStateException(functionLogicalId + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Waits until every stream consumer has handled what its stream held when called (the analytics
   * aggregates are counted asynchronously, as in AWS). False if that took longer than the timeout.
   */
  public boolean awaitStreams(Duration timeout) {
    long since = System.nanoTime();
    long deadline = since + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (streamPollers.stream().allMatch(p -> p.caughtUpSince(since))) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /**
   * Waits until every queue consumer is idle (nothing waiting or in flight, no batch in its
   * function), twice in a row; answers false when that did not happen within the timeout (a message
   * a test leaves failing keeps its queue busy).
   */
  public boolean awaitQueues(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int quiet = 0;
    while (System.nanoTime() - deadline < 0) {
      quiet = pollers.stream().allMatch(QueuePoller::idle) ? quiet + 1 : 0;
      if (quiet == 2) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** The largest iterator age of the stream consumers (Lambda's {@code IteratorAge}), in ms. */
  public long streamIteratorAgeMillis() {
    return streamPollers.stream().mapToLong(StreamPoller::iteratorAgeMillis).max().orElse(0);
  }

  /** Pauses (or resumes) every stream consumer: records wait in their streams meanwhile. */
  public void pauseStreams(boolean paused) {
    streamPollers.forEach(p -> p.pause(paused));
  }

  /** Retires a function's warm containers: its next invocation is a cold start. */
  public void retireContainers(String functionLogicalId) {
    FunctionHost host = hosts.get(functionLogicalId);
    if (host == null) {
      throw new IllegalArgumentException("No function served as " + functionLogicalId);
    }
    host.discardIdle();
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

  private void sweepQuietly() {
    try {
      sweeper.sweep();
    } catch (RuntimeException e) {
      System.err.println("[ttl-sweeper] " + e.getClass().getSimpleName());
    }
  }

  private Gateway.Answer localRoute(String method, String path, byte[] body) throws IOException {
    if (method.equals("POST") && path.startsWith("/_local/pay/")) {
      return LocalShop.pay(this, paymentSecret, path.substring("/_local/pay/".length()), body);
    }
    switch (method + " " + path) {
      case "POST /_local/token" -> {
        JsonNode request;
        try {
          request = JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
        } catch (IOException e) {
          return new Gateway.Answer(400, Map.of("message", "The body must be JSON."));
        }
        if (request == null
            || !request.path("sub").isTextual()
            || request.path("sub").asText().isBlank()) {
          return new Gateway.Answer(400, Map.of("message", "Give a \"sub\" for the token."));
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        request
            .fields()
            .forEachRemaining(
                e -> claims.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
        return new Gateway.Answer(200, Map.of("token", mintToken(claims)));
      }
      case "POST /_local/ttl-sweep" -> {
        return new Gateway.Answer(200, Map.of("deleted", sweepTtl()));
      }
      case "GET /_local/outbox" -> {
        Optional<List<Map<String, Object>>> messages = outbox.messages();
        return messages
            .map(m -> new Gateway.Answer(200, Map.of("messages", m)))
            .orElseGet(
                () ->
                    new Gateway.Answer(
                        501, Map.of("message", "The outbox is not available on this emulator.")));
      }
      default -> {
        return new Gateway.Answer(404, Map.of("message", "Not Found"));
      }
    }
  }

  private static boolean isProjectTemplate(Path template) {
    try {
      return Files.isSameFile(template, ProjectFiles.root().resolve("template.yaml"));
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }

  /** The id (here, the placeholder name) of the template's HTTP API. */
  private String httpApiId(Template template) {
    for (Map.Entry<String, Map<String, Object>> resource : template.resources().entrySet()) {
      if ("AWS::Serverless::HttpApi".equals(resource.getValue().get("Type"))) {
        return provisioner.ref(resource.getKey());
      }
    }
    return "local-api";
  }

  @SuppressWarnings("unchecked")
  private static Gateway.Cors cors(Template template) {
    for (Map<String, Object> resource : template.resources().values()) {
      if (!"AWS::Serverless::HttpApi".equals(resource.get("Type"))) {
        continue;
      }
      Map<String, Object> properties =
          (Map<String, Object>) template.resolve(resource.getOrDefault("Properties", Map.of()));
      if (properties.get("CorsConfiguration") instanceof Map<?, ?> cors) {
        return new Gateway.Cors(
            strings(cors.get("AllowOrigins")),
            strings(cors.get("AllowMethods")),
            strings(cors.get("AllowHeaders")),
            cors.get("MaxAge") == null ? 0 : Integer.parseInt(String.valueOf(cors.get("MaxAge"))));
      }
    }
    return null;
  }

  private static List<String> strings(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return value == null ? List.of() : List.of(String.valueOf(value));
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
