package dev.custodian.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.local.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml as SAM reads it: SAM's own translator (aws-sam-translator, through
 * .ci/sam-translate.py) turns it into CloudFormation, with prod's stage, and the functions it makes
 * are checked against the jars the build makes.
 */
class SamTranslationTest {

  private static JsonNode resources;

  @BeforeAll
  static void translate() throws Exception {
    Path root = ProjectFiles.root();
    Process probe;
    try {
      probe = new ProcessBuilder("python3", "-c", "import samtranslator").start();
    } catch (IOException noPython) {
      Assumptions.abort("python3 is not installed here: SAM translation not checked");
      return;
    }
    Assumptions.assumeTrue(
        probe.waitFor() == 0,
        "aws-sam-translator is not installed here (.ci/run installs it): SAM translation not checked");
    Process translate =
        new ProcessBuilder("python3", ".ci/sam-translate.py", "template.yaml", "Stage=prod")
            .directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out = translate.getInputStream().readAllBytes();
    assertThat(translate.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(translate.exitValue()).as("SAM translator refused template.yaml").isZero();
    resources =
        new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8)).path("Resources");
  }

  private static List<Map.Entry<String, JsonNode>> ofType(String type) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (type.equals(e.getValue().path("Type").asText())) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void everyFunction_runsAJarTheBuildMakes_holdingItsHandlerClass() throws Exception {
    List<String> broken = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> functions = ofType("AWS::Lambda::Function");
    for (Map.Entry<String, JsonNode> f : functions) {
      JsonNode p = f.getValue().path("Properties");
      String jar = p.path("Code").path("S3Key").asText();
      String handler = p.path("Handler").asText();
      Path file = ProjectFiles.root().resolve(jar);
      // The build makes functions/<module>/target/<module>.jar (each module's finalName).
      if (!jar.matches("functions/([a-z-]+)/target/\\1\\.jar")) {
        broken.add(f.getKey() + ": CodeUri " + jar + " is not a function module's jar");
        continue;
      }
      if (!Files.exists(file)) {
        broken.add(f.getKey() + ": " + jar + " not built (mvn package)");
        continue;
      }
      String entry = handler.replaceFirst("::.*$", "").replace('.', '/') + ".class";
      try (ZipFile zip = new ZipFile(file.toFile())) {
        if (zip.getEntry(entry) == null) {
          broken.add(f.getKey() + ": " + jar + " has no " + entry);
        }
      }
    }
    assertThat(functions).hasSizeGreaterThan(10);
    assertThat(broken).isEmpty();
  }

  @Test
  void inProd_everyFunctionShiftsByCanary_andRollsBackOnAnAlarm() {
    List<Map.Entry<String, JsonNode>> groups = ofType("AWS::CodeDeploy::DeploymentGroup");
    assertThat(groups).hasSameSizeAs(ofType("AWS::Lambda::Function"));
    for (Map.Entry<String, JsonNode> g : groups) {
      JsonNode p = g.getValue().path("Properties");
      assertThat(p.path("DeploymentConfigName").toString()).as(g.getKey()).contains("Canary");
      assertThat(p.path("AlarmConfiguration").path("Alarms")).as(g.getKey()).isNotEmpty();
    }
  }
}
