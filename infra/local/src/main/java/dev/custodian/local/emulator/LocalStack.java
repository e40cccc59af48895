package dev.custodian.local.emulator;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack in Docker through Testcontainers, for machines that have Docker. */
final class LocalStack implements AutoCloseable {

  static final String IMAGE = "localstack/localstack:4.4";

  private final LocalStackContainer container;

  private LocalStack(LocalStackContainer container) {
    this.container = container;
  }

  /** Whether a Docker daemon answers (Testcontainers' own probe). */
  static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static LocalStack start() {
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(IMAGE))
            .withServices("dynamodb", "kms", "sqs", "ses");
    container.start();
    return new LocalStack(container);
  }

  URI endpoint() {
    return container.getEndpoint();
  }

  @Override
  public void close() {
    container.stop();
  }
}
