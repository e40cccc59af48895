package dev.custodian.reliability;

import static dev.custodian.reliability.TemplateFacts.ofType;
import static dev.custodian.reliability.TemplateFacts.props;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ProjectFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md answers what the template makes on-call face: a section per alarm headed by
 * its logical id, every public route's function in the guided deploy's answers, a restore section;
 * the README links it.
 */
@SuppressWarnings("unchecked")
class RunbookTest {

  private static List<String> headings;
  private static String runbook;

  @BeforeAll
  static void read() throws Exception {
    runbook = Files.readString(ProjectFiles.root().resolve("docs/operations.md"));
    headings =
        runbook
            .lines()
            .filter(l -> l.startsWith("#"))
            .map(l -> l.replaceFirst("^#+\\s*", ""))
            .toList();
  }

  @Test
  void everyAlarm_andTheKeyRule_haveASectionHeadedByTheirLogicalId() {
    List<String> pagers = new ArrayList<>(ofType("AWS::CloudWatch::Alarm").keySet());
    pagers.addAll(ofType("AWS::Events::Rule").keySet());
    assertThat(headings).containsAll(pagers);
    assertThat(headings).contains("Restore", "Redrive a dead-letter queue safely", "Key incidents");
  }

  @Test
  void everyFunctionWithAPublicRoute_isExplainedForTheGuidedDeploy() {
    List<String> missing = new ArrayList<>();
    ofType("AWS::Serverless::Function")
        .forEach(
            (id, f) -> {
              Map<String, Object> events =
                  (Map<String, Object>) props(f).getOrDefault("Events", Map.of());
              boolean open =
                  events.values().stream()
                      .map(e -> (Map<String, Object>) e)
                      .filter(e -> "HttpApi".equals(e.get("Type")))
                      .anyMatch(
                          e -> !((Map<String, Object>) e.get("Properties")).containsKey("Auth"));
              if (open && !runbook.contains("| `" + id + "` |")) {
                missing.add(id);
              }
            });
    assertThat(missing).isEmpty();
  }

  @Test
  void theReadme_linksTheRunbook() throws Exception {
    assertThat(Files.readString(ProjectFiles.root().resolve("README.md")))
        .contains("(docs/operations.md)");
  }
}
