package dev.custodian.core.aws;

import dev.custodian.core.config.RuntimeEnvironment;
import dev.custodian.core.dynamo.SignedDynamoDb;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How every SDK client is built: once per container, region from {@code AWS_REGION}, the
 * lightweight URL-connection HTTP client, credentials from the function's environment, and an
 * endpoint override only when {@code AWS_ENDPOINT_URL} is configured (the local cloud, an
 * emulator).
 */
public final class AwsClients {

  public static final String REGION = "AWS_REGION";
  public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Region region;
  private final Optional<URI> endpoint;
  private final AwsCredentialsProvider credentials;
  private final HttpWire wire;
  private volatile SdkHttpClient httpClient;
  private final Optional<String> functionName;
  private final ExecutionInterceptor[] interceptors;

  private AwsClients(
      Region region,
      Optional<URI> endpoint,
      AwsCredentialsProvider credentials,
      Optional<String> functionName,
      ExecutionInterceptor... interceptors) {
    this.region = region;
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.functionName = functionName;
    this.interceptors = interceptors;
    this.wire = new HttpWire(CONNECT_TIMEOUT, READ_TIMEOUT);
  }

  /** Clients configured from the function's environment variables. */
  public static AwsClients fromEnvironment(Map<String, String> env) {
    Region region = Region.of(RuntimeEnvironment.optional(env, REGION).orElse("us-east-1"));
    Optional<URI> endpoint = RuntimeEnvironment.optional(env, ENDPOINT_URL).map(URI::create);
    return new AwsClients(
        region,
        endpoint,
        credentialsFrom(env),
        RuntimeEnvironment.optional(env, "AWS_LAMBDA_FUNCTION_NAME"));
  }

  /** The same configuration with interceptors added to every client (tests count calls). */
  public AwsClients withInterceptors(ExecutionInterceptor... added) {
    return new AwsClients(region, endpoint, credentials, functionName, added);
  }

  /**
   * Lambda passes the role's credentials as environment variables; reading them from the function's
   * environment (not the JVM's) lets the local cloud give each function its own.
   */
  private static AwsCredentialsProvider credentialsFrom(Map<String, String> env) {
    Optional<String> keyId = RuntimeEnvironment.optional(env, "AWS_ACCESS_KEY_ID");
    Optional<String> secret = RuntimeEnvironment.optional(env, "AWS_SECRET_ACCESS_KEY");
    if (keyId.isEmpty() || secret.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    Optional<String> token = RuntimeEnvironment.optional(env, "AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(
        token.isPresent()
            ? AwsSessionCredentials.create(keyId.get(), secret.get(), token.get())
            : AwsBasicCredentials.create(keyId.get(), secret.get()));
  }

  /** The region every client talks to. */
  public Region region() {
    return region;
  }

  /** The endpoint override (the local cloud, an emulator), if configured. */
  public Optional<URI> endpoint() {
    return endpoint;
  }

  /** The function's credentials. */
  public AwsCredentialsProvider credentials() {
    return credentials;
  }

  /**
   * The one HTTP client of the container's SDK clients, built on first use: a function whose calls
   * are all signed ({@link #wire()}) never loads it.
   */
  public SdkHttpClient httpClient() {
    SdkHttpClient client = httpClient;
    if (client == null) {
      synchronized (this) {
        client = httpClient;
        if (client == null) {
          client =
              UrlConnectionHttpClient.builder()
                  .connectionTimeout(CONNECT_TIMEOUT)
                  .socketTimeout(READ_TIMEOUT)
                  .build();
          httpClient = client;
        }
      }
    }
    return client;
  }

  /** The container's connections for the signed calls ({@link SignedJsonCall}). */
  public HttpWire wire() {
    return wire;
  }

  /** The user agent suffix that names the function in every call ({@code fn/<name>}), if known. */
  public Optional<String> userAgentSuffix() {
    return functionName.map(name -> "fn/" + name);
  }

  /** The interceptors added for tests; none in a function. */
  public List<ExecutionInterceptor> interceptors() {
    return List.of(interceptors);
  }

  /**
   * The DynamoDB client every function uses: the SDK's interface, each call one signed JSON request
   * ({@link SignedDynamoDb}), without the SDK client's cold start. {@code caller} heads the user
   * agent.
   */
  public DynamoDbClient dynamoDb(String caller) {
    return new SignedDynamoDb(this, caller);
  }

  /** Applies this configuration to a service client builder, e.g. {@code SqsClient.builder()}. */
  public <
          B extends
              AwsClientBuilder<B, C>
                  & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>,
          C>
      C build(B builder) {
    builder.region(region).credentialsProvider(credentials).httpClient(httpClient);
    endpoint.ifPresent(builder::endpointOverride);
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
    for (ExecutionInterceptor interceptor : interceptors) {
      override.addExecutionInterceptor(interceptor);
    }
    // Names the function in every call's user agent: CloudTrail (and the benchmark's call
    // counter) can tell which function made a call, not only which role.
    userAgentSuffix()
        .ifPresent(
            suffix ->
                override.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, suffix));
    builder.overrideConfiguration(override.build());
    return builder.build();
  }
}
