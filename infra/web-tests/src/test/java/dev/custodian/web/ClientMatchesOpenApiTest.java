package dev.custodian.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The browser client has one function per public and account route of the OpenAPI document. */
class ClientMatchesOpenApiTest {

  /** Who may call a route from a browser: anyone, or a holder of these bearer tokens. */
  private static final Set<String> BROWSER_SCHEMES =
      Set.of("orderToken", "requestToken", "account");

  /** What the client exports besides the operations. */
  private static final Set<String> HELPERS = Set.of("configure", "request", "CustodianError");

  private static final Pattern EXPORT =
      Pattern.compile("^export (?:const|async function|function|class) (\\w+)", Pattern.MULTILINE);

  @Test
  void everyPublicAndAccountOperationHasAFunctionAndEveryFunctionAnOperation() throws IOException {
    assertThat(clientFunctions()).isEqualTo(browserOperations());
  }

  @Test
  void operatorAndProviderRoutesAreNotInTheClient() throws IOException {
    assertThat(clientFunctions())
        .doesNotContain("putProduct", "stats", "listPrivacyRequests", "receivePaymentEvent");
  }

  private static Set<String> clientFunctions() throws IOException {
    String source = Files.readString(ProjectFiles.root().resolve("web/custodian-client.js"));
    Set<String> names = new TreeSet<>();
    Matcher m = EXPORT.matcher(source);
    while (m.find()) {
      names.add(m.group(1));
    }
    assertThat(names).containsAll(HELPERS);
    names.removeAll(HELPERS);
    return names;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> browserOperations() throws IOException {
    Map<String, Object> document =
        new Yaml().load(Files.readString(ProjectFiles.root().resolve("docs/openapi.yaml")));
    Set<String> operations = new TreeSet<>();
    for (Object path : ((Map<String, Object>) document.get("paths")).values()) {
      for (Object operation : ((Map<String, Object>) path).values()) {
        if (!(operation instanceof Map<?, ?> op) || op.get("operationId") == null) {
          continue;
        }
        List<Map<String, Object>> security = (List<Map<String, Object>>) op.get("security");
        boolean browser =
            security == null
                || security.isEmpty()
                || security.stream()
                    .flatMap(s -> s.keySet().stream())
                    .allMatch(BROWSER_SCHEMES::contains);
        if (browser) {
          operations.add((String) op.get("operationId"));
        }
      }
    }
    return operations;
  }
}
