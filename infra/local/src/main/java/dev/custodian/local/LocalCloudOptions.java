package dev.custodian.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start the local cloud (see docs/local-cloud.md): built with {@link #builder(Path)}, which
 * starts from what the CLI uses, and each builder call names only what it changes.
 *
 * @param endpoint an emulator to use instead of starting one (AWS_ENDPOINT_URL by default)
 * @param cloud which emulator to prefer: null or "auto", "moto", "localstack", "external"
 * @param queueVisibilityTimeoutSeconds when not null, every queue's visibility timeout (tests that
 *     watch redrive want seconds, not the minutes a deployed function needs)
 * @param functions which of the template's functions to serve
 * @param iam whether each function's AWS calls are checked against its role (on unless turned off:
 *     the local cloud then lets every call through, as the emulators alone do)
 */
public record LocalCloudOptions(
    Path template,
    int port,
    String stackName,
    Map<String, String> parameters,
    Optional<URI> endpoint,
    String cloud,
    String region,
    int maxContainers,
    Integer queueVisibilityTimeoutSeconds,
    Duration ttlSweepInterval,
    LocalCloud.Functions functions,
    boolean iam) {

  public LocalCloudOptions {
    Objects.requireNonNull(template, "template");
    parameters = Map.copyOf(parameters);
  }

  /** The CLI's defaults for {@code template}: port 3000, every function, IAM on. */
  public static Builder builder(Path template) {
    return new Builder(template);
  }

  /** Collects the options; {@link #build()} makes the record. */
  public static final class Builder {
    private Path template;
    private int port = 3000;
    private String stackName = "custodian-local";
    private Map<String, String> parameters = Map.of();
    private Optional<URI> endpoint;
    private String cloud = System.getProperty("custodian.cloud");
    private String region;
    private int maxContainers = 4;
    private Integer queueVisibilityTimeoutSeconds;
    private Duration ttlSweepInterval = Duration.ofMinutes(1);
    private LocalCloud.Functions functions = LocalCloud.Functions.ALL;
    private boolean iam = !"off".equals(System.getProperty("custodian.iam", "on"));

    private Builder(Path template) {
      this.template = template;
      String configured = System.getenv("AWS_ENDPOINT_URL");
      this.endpoint =
          configured == null || configured.isBlank()
              ? Optional.empty()
              : Optional.of(URI.create(configured));
      String configuredRegion = System.getenv("AWS_REGION");
      this.region =
          configuredRegion == null || configuredRegion.isBlank() ? "us-east-1" : configuredRegion;
    }

    public Builder template(Path value) {
      template = value;
      return this;
    }

    /** The gateway's port; 0 picks a free one. */
    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder stackName(String value) {
      stackName = value;
      return this;
    }

    /** Values of the template's parameters, over {@link LocalCloud#LOCAL_PARAMETERS}. */
    public Builder parameters(Map<String, String> value) {
      parameters = Map.copyOf(value);
      return this;
    }

    /** Another emulator at this endpoint, instead of starting one. */
    public Builder endpoint(URI value) {
      endpoint = Optional.of(value);
      return this;
    }

    public Builder cloud(String value) {
      cloud = value;
      return this;
    }

    public Builder region(String value) {
      region = value;
      return this;
    }

    /** How many containers each function may run at once. */
    public Builder maxContainers(int value) {
      maxContainers = value;
      return this;
    }

    public Builder queueVisibilityTimeout(Integer seconds) {
      queueVisibilityTimeoutSeconds = seconds;
      return this;
    }

    public Builder ttlSweepInterval(Duration value) {
      ttlSweepInterval = value;
      return this;
    }

    /**
     * Which functions to serve: all, those whose jar is built, or none (only the emulator and the
     * template's resources, for the tests of the shared library, which run before any jar is
     * built).
     */
    public Builder functions(LocalCloud.Functions value) {
      functions = value;
      return this;
    }

    public Builder iam(boolean value) {
      iam = value;
      return this;
    }

    public LocalCloudOptions build() {
      return new LocalCloudOptions(
          template,
          port,
          stackName,
          parameters,
          endpoint,
          cloud,
          region,
          maxContainers,
          queueVisibilityTimeoutSeconds,
          ttlSweepInterval,
          functions,
          iam);
    }
  }
}
