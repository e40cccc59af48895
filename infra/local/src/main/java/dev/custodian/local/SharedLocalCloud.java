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

  private SharedLocalCloud() {}

  public static synchronized LocalCloud get() {
    if (cloud == null) {
      LocalCloud.Options options =
          LocalCloud.Options.defaults(ProjectFiles.root().resolve("template.yaml"))
              .withPort(0)
              .withStackName("it-" + UUID.randomUUID().toString().substring(0, 8))
              .withQueueVisibilityTimeout(2);
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
