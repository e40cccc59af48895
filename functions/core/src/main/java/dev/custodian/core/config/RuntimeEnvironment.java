package dev.custodian.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The function's environment variables.
 *
 * <p>In Lambda this is the process environment. A host that runs several functions in one JVM (the
 * local cloud gives each function its own class loader, so each has its own copy of this class)
 * installs the variables the template gives that function before it builds the handler.
 */
public final class RuntimeEnvironment {

  private static volatile Map<String, String> installed;

  private RuntimeEnvironment() {}

  /** Replaces the process environment for the functions of this class loader. */
  public static void install(Map<String, String> variables) {
    installed = Map.copyOf(variables);
  }

  /** The variables in force: the installed ones, else the process environment. */
  public static Map<String, String> current() {
    Map<String, String> variables = installed;
    return variables != null ? variables : System.getenv();
  }

  /** A required variable of {@code variables}; names the missing variable, never its value. */
  public static String require(Map<String, String> variables, String name) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("Missing environment variable " + name);
    }
    return value;
  }

  public static Optional<String> optional(Map<String, String> variables, String name) {
    Objects.requireNonNull(name);
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
