package dev.custodian.local.emulator;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Which AWS emulator the local cloud and the tests run on, in this order: the endpoint in {@code
 * AWS_ENDPOINT_URL} (any compatible emulator, started by someone else); LocalStack through
 * Testcontainers when asked for ({@code --cloud localstack} or {@code
 * -Dcustodian.cloud=localstack}) and a Docker daemon answers; moto otherwise. Asking for LocalStack
 * without Docker fails at once rather than quietly running on moto, so a CI job that expects
 * LocalStack cannot pass on moto.
 */
public final class CloudSelection {

  private CloudSelection() {}

  /** The kinds of emulator. */
  public enum Kind {
    EXTERNAL,
    LOCALSTACK,
    MOTO
  }

  /** The emulator chosen and why, printed once at start. */
  public record Choice(Kind kind, Optional<URI> endpoint, String reason) {
    public String describe() {
      return "AWS emulator: "
          + kind.name().toLowerCase(Locale.ROOT)
          + endpoint.map(e -> " at " + e).orElse("")
          + " ("
          + reason
          + ")";
    }
  }

  /**
   * @param endpointUrl the value of {@code AWS_ENDPOINT_URL}, if any
   * @param requested {@code localstack}, {@code moto}, {@code external}, or null/blank/{@code auto}
   *     for the default order
   * @param dockerAnswers whether a Docker daemon answers (asked only when LocalStack is wanted)
   */
  public static Choice choose(String endpointUrl, String requested, BooleanSupplier dockerAnswers) {
    String wanted =
        requested == null || requested.isBlank()
            ? "auto"
            : requested.trim().toLowerCase(Locale.ROOT);
    boolean haveEndpoint = endpointUrl != null && !endpointUrl.isBlank();
    switch (wanted) {
      case "auto", "external", "localstack", "moto" -> {}
      default ->
          throw new IllegalArgumentException(
              "Unknown cloud '" + requested + "': use localstack, moto or external");
    }
    if (haveEndpoint) {
      return new Choice(
          Kind.EXTERNAL,
          Optional.of(URI.create(endpointUrl.trim())),
          "an endpoint was given: AWS_ENDPOINT_URL or the endpoint option");
    }
    if (wanted.equals("external")) {
      throw new IllegalStateException(
          "The external cloud was asked for but AWS_ENDPOINT_URL is not set");
    }
    if (wanted.equals("localstack")) {
      if (!dockerAnswers.getAsBoolean()) {
        throw new IllegalStateException(
            "LocalStack was asked for (custodian.cloud=localstack) but no Docker daemon answers;"
                + " start Docker, or run without it to use moto");
      }
      return new Choice(Kind.LOCALSTACK, Optional.empty(), "asked for, and Docker answers");
    }
    if (wanted.equals("moto")) {
      return new Choice(Kind.MOTO, Optional.empty(), "asked for");
    }
    return new Choice(
        Kind.MOTO,
        Optional.empty(),
        "the default: AWS_ENDPOINT_URL unset, LocalStack not asked for");
  }

  /**
   * Chooses as {@link #choose} does (printing the choice) and starts the emulator chosen, unless it
   * is external; returns its endpoint.
   *
   * @param started takes what was started, for the caller to close
   */
  public static URI start(Optional<URI> endpoint, String requested, Consumer<AutoCloseable> started)
      throws IOException {
    Choice choice =
        choose(endpoint.map(URI::toString).orElse(null), requested, LocalStack::dockerAnswers);
    System.out.println(choice.describe());
    switch (choice.kind()) {
      case EXTERNAL -> {
        return choice.endpoint().orElseThrow();
      }
      case LOCALSTACK -> {
        LocalStack localStack = LocalStack.start();
        started.accept(localStack);
        return localStack.endpoint();
      }
      default -> {
        MotoServer moto = MotoServer.start();
        started.accept(moto);
        return moto.endpoint();
      }
    }
  }
}
