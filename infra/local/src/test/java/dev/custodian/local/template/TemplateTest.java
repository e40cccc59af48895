package dev.custodian.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateTest {

  @TempDir Path dir;

  private Template template(String yaml, Map<String, String> overrides) throws Exception {
    Path file = dir.resolve("template.yaml");
    Files.writeString(file, yaml);
    Template template =
        Template.load(file, overrides, Map.of("AWS::Region", "eu-west-1", "AWS::StackName", "s"));
    template.bind(
        new Template.Resources() {
          @Override
          public String ref(String logicalId) {
            return logicalId.equals("Pending") ? null : "ref-" + logicalId;
          }

          @Override
          public String attribute(String logicalId, String attribute) {
            return "att-" + logicalId + "-" + attribute;
          }
        });
    return template;
  }

  private static final String YAML =
      """
      Parameters:
        Stage: {Type: String, Default: dev}
        Days: {Type: Number, Default: 30}
        Effective: {Type: String, Default: 2026-01-02}
      Conditions:
        IsProd: !Equals [!Ref Stage, prod]
        NotProd: !Not [!Condition IsProd]
      Resources:
        Table: {Type: AWS::DynamoDB::Table}
        Queue: {Type: AWS::SQS::Queue}
        Pending: {Type: AWS::SQS::Queue}
        OnlyInProd: {Type: AWS::SQS::Queue, Condition: IsProd}
      """;

  @Test
  void resolvesShortFormIntrinsics() throws Exception {
    Template t = template(YAML, Map.of());
    Map<String, Object> node =
        Map.of(
            "a", Map.of("Ref", "Table"),
            "b", Map.of("Fn::GetAtt", List.of("Queue", "Arn")),
            "c", Map.of("Fn::Sub", "${AWS::StackName}-${Days}-${Queue.QueueName}-${!Literal}"),
            "d", Map.of("Fn::If", List.of("IsProd", "yes", Map.of("Ref", "AWS::NoValue"))),
            "e", Map.of("Fn::Join", List.of(":", List.of("x", Map.of("Ref", "Stage")))),
            "f", Map.of("Fn::Select", List.of(1, Map.of("Fn::Split", List.of(",", "p,q,r")))));

    @SuppressWarnings("unchecked")
    Map<String, Object> resolved = (Map<String, Object>) t.resolve(node);

    assertThat(resolved)
        .containsEntry("a", "ref-Table")
        .containsEntry("b", "att-Queue-Arn")
        .containsEntry("c", "s-30-att-Queue-QueueName-${Literal}")
        .containsEntry("e", "x:dev")
        .containsEntry("f", "q")
        .doesNotContainKey("d");
  }

  @Test
  void readsUnquotedDatesAsText_andAppliesOverridesAndConditions() throws Exception {
    Template t = template(YAML, Map.of("Stage", "prod"));

    assertThat(t.parameter("Effective")).isEqualTo("2026-01-02");
    assertThat(t.condition("IsProd")).isTrue();
    assertThat(t.condition("NotProd")).isFalse();
    assertThat(t.resources()).containsKey("OnlyInProd");
    assertThat(template(YAML, Map.of()).resources()).doesNotContainKey("OnlyInProd");
  }

  @Test
  void aParameterWithoutDefault_takesItsFallback_unlessOverridden() throws Exception {
    Path file = dir.resolve("required.yaml");
    Files.writeString(file, "Parameters:\n  Issuer: {Type: String}\nResources: {}\n");
    Map<String, String> local = Map.of("Issuer", "https://local/");

    assertThat(Template.load(file, Map.of(), local, Map.of()).parameter("Issuer"))
        .isEqualTo("https://local/");
    assertThat(
            Template.load(file, Map.of("Issuer", "https://x/"), local, Map.of())
                .parameter("Issuer"))
        .isEqualTo("https://x/");
    assertThatThrownBy(() -> Template.load(file, Map.of(), Map.of(), Map.of()))
        .hasMessageContaining("Issuer has no default");
  }

  @Test
  void refusesUnknownParameterOverrides_andSignalsUnprovisionedReferences() throws Exception {
    assertThatThrownBy(() -> template(YAML, Map.of("Nope", "1")))
        .hasMessageContaining("no parameter Nope");
    Template t = template(YAML, Map.of());
    assertThatThrownBy(() -> t.resolve(Map.of("Ref", "Pending")))
        .isInstanceOf(Template.NotYetProvisioned.class);
    assertThatThrownBy(() -> t.resolve(Map.of("Ref", "Missing")))
        .hasMessageContaining("unknown name Missing");
  }

  @Test
  void theProjectTemplateLoads() throws Exception {
    Template project =
        Template.load(
            ProjectFiles.root().resolve("template.yaml"),
            Map.of(),
            LocalCloud.LOCAL_PARAMETERS,
            Map.of());
    assertThat(project.resources()).containsKey("PolicyFunction");
    assertThat(project.parameter("JwtIssuer")).isEqualTo("https://auth.custodian.local/");
  }
}
