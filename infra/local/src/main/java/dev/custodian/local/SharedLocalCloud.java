package dev.custodian.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * One local cloud for all the integration tests of a test JVM, started on first use from the
 * project's template on a free port and stopped (moto included) when the JVM exits.
 */
public final class SharedLocalCloud {

  private static LocalCloud cloud;
  private static LocalCloud resources;

  private SharedLocalCloud() {}

  private static LocalCloud.Options options() {
    return LocalCloud.Options.defaults(ProjectFiles.root().resolve("template.yaml"))
        .withPort(0)
        .withStackName("it-" + UUID.randomUUID().toString().substring(0, 8))
        .withQueueVisibilityTimeout(2)
        .withFunctions(LocalCloud.Functions.BUILT);
  }

  /**
   * The template's tables, queues and keys on an emulator, without functions: for the tests of the
   * shared library, which run before the function jars exist.
   */
  public static synchronized LocalCloud resourcesOnly() {
    if (resources == null) {
      try {
        resources = LocalCloud.start(options().withoutFunctions());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      LocalCloud started = resources;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-cloud-stop"));
    }
    return resources;
  }

  public static synchronized LocalCloud get() {
    if (cloud == null) {
      LocalCloud.Options options = options();
      try {
        cloud = LocalCloud.start(options);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      LocalCloud started = cloud;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-cloud-stop"));
    }
    return cloud;
  }
}
