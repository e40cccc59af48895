package dev.custodian.reliability;

import static dev.custodian.reliability.TemplateFacts.section;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * staging and prod deploy with every parameter the template gives no default, each passing its
 * constraint, and none a local or placeholder value.
 */
@SuppressWarnings("unchecked")
class SamconfigTest {

  private static final Pattern OVERRIDES =
      Pattern.compile(
          "parameter_overrides\\s*=\\s*(?:\"\"\"(.*?)\"\"\"|\"([^\"]*)\")", Pattern.DOTALL);

  private static final List<String> PLACEHOLDERS =
      List.of("localhost", "127.0.0.1", ".local", "example.com", "changeme", "todo", "xxx", "<");

  /** The {@code parameter_overrides} of one environment of samconfig.toml, by name. */
  static Map<String, String> overrides(String environment) throws Exception {
    String toml = Files.readString(ProjectFiles.root().resolve("samconfig.toml"));
    int start = toml.indexOf("[" + environment + ".deploy.parameters]");
    assertThat(start).as("samconfig.toml has [%s.deploy.parameters]", environment).isNotNegative();
    int end = toml.indexOf("\n[", start + 1);
    String body = toml.substring(start, end < 0 ? toml.length() : end);
    Matcher m = OVERRIDES.matcher(body);
    assertThat(m.find()).as(environment + " parameter_overrides").isTrue();
    String value = m.group(1) != null ? m.group(1) : m.group(2);
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : value.replaceAll("\\\\\\s*\\n", " ").trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"staging", "prod"})
  void anEnvironment_setsEveryRequiredParameter_validly_andNoPlaceholder(String environment)
      throws Exception {
    Map<String, String> values = overrides(environment);
    Map<String, Object> parameters = section("Parameters");

    assertThat(values).containsEntry("Stage", environment);
    assertThat(parameters.keySet()).containsAll(values.keySet());
    parameters.forEach(
        (name, definition) -> {
          Map<String, Object> p = (Map<String, Object>) definition;
          if (!p.containsKey("Default")) {
            assertThat(values).as(environment + " sets " + name).containsKey(name);
          }
        });
    values.forEach(
        (name, value) -> {
          Map<String, Object> p = (Map<String, Object>) parameters.get(name);
          if (p.get("AllowedPattern") != null) {
            assertThat(value)
                .as(environment + " " + name)
                .matches(String.valueOf(p.get("AllowedPattern")));
          }
          assertThat(value)
              .as(environment + " " + name)
              .isNotEqualTo(LocalCloud.LOCAL_PARAMETERS.get(name));
          for (String placeholder : PLACEHOLDERS) {
            assertThat(value.toLowerCase())
                .as(environment + " " + name)
                .doesNotContain(placeholder);
          }
        });
    assertThat(values.get("CorsAllowOrigin")).startsWith("https://");
  }

  @Test
  void stagingAndProd_sendFromAddressesOfTheirOwn() throws Exception {
    // Two stacks in one region and account cannot both create the same SES identity.
    assertThat(overrides("staging").get("SenderAddress"))
        .isNotEqualTo(overrides("prod").get("SenderAddress"));
  }
}
