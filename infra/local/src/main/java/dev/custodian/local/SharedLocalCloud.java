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

  private static LocalCloudOptions.Builder options() {
    return LocalCloudOptions.builder(ProjectFiles.root().resolve("template.yaml"))
        .port(0)
        .stackName("it-" + UUID.randomUUID().toString().substring(0, 8))
        .queueVisibilityTimeout(2)
        .functions(LocalCloud.Functions.BUILT);
  }

  /**
   * The template's tables, queues and keys on an emulator, without functions: for the tests of the
   * shared library, which run before the function jars exist.
   */
  public static synchronized LocalCloud resourcesOnly() {
    if (resources == null) {
      try {
        resources = LocalCloud.start(options().functions(LocalCloud.Functions.NONE).build());
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
      try {
        cloud = LocalCloud.start(options().build());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      LocalCloud started = cloud;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-cloud-stop"));
    }
    return cloud;
  }
}
