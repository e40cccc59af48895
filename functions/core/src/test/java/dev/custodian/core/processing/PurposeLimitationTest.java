package dev.custodian.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ProjectFiles;
import dev.custodian.local.TableReach;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purpose limitation (docs/privacy.md): no function's role reaches a data class outside the
 * purposes it declares.
 */
class PurposeLimitationTest {

  @TempDir Path dir;

  @Test
  void everyFunctionOfTheTemplate_reachesOnlyDataClassesOfItsPurposes() throws Exception {
    List<FunctionAccess> reach = TemplateReach.ofProject();

    assertThat(reach).isNotEmpty();
    assertThat(PurposeLimitation.violations(reach)).isEmpty();
  }

  @Test
  void everyFunction_declaresItsPurposes_andEveryTableItsDataClasses() throws Exception {
    String template = Files.readString(ProjectFiles.root().resolve("template.yaml"));
    long functions =
        template.lines().filter(l -> l.equals("    Type: AWS::Serverless::Function")).count();
    List<FunctionAccess> reach = TemplateReach.ofProject();

    assertThat(reach).allSatisfy(a -> assertThat(a.purposes()).isNotEmpty());
    // every function, including those that reach no table (the purposes are in Metadata)
    assertThat(template.split("\n      Purposes: \\[", -1)).hasSize((int) functions + 1);
    List<String> tables =
        template
            .lines()
            .filter(l -> l.matches("  [A-Za-z]+Table:"))
            .map(l -> l.trim().replace(":", ""))
            .toList();
    assertThat(tables).allSatisfy(t -> assertThat(Tables.holds(t)).isPresent());
  }

  @Test
  void aFunctionGivenATableOutsideItsPurposes_failsTheCheck() throws Exception {
    // GIVEN the statistics function (purpose STATISTICS) granted a read of the support messages
    String template = Files.readString(ProjectFiles.root().resolve("template.yaml"));
    String grant =
        """
                    - Sid: ReadCounts
                      Effect: Allow
                      Action: dynamodb:BatchGetItem
                      Resource: !GetAtt AnalyticsAggregatesTable.Arn
        """;
    String widened =
        grant
            + """
                    - Sid: PeekAtMessages
                      Effect: Allow
                      Action: dynamodb:GetItem
                      Resource: !GetAtt ContactTable.Arn
        """;
    assertThat(template).contains(grant);
    Path modified = dir.resolve("template.yaml");
    Files.writeString(modified, template.replace(grant, widened));

    // WHEN the check reads it
    List<String> violations = PurposeLimitation.violations(TemplateReach.of(modified));

    // THEN it names the function, the table and the class
    assertThat(violations)
        .singleElement()
        .asString()
        .contains("AnalyticsStatsFunction", "ContactTable", "CONTACT_MESSAGE", "STATISTICS");
  }

  @Test
  void aGrantLimitedToTheKeyStoresSecrets_reachesNoDataClass() throws Exception {
    // The analytics ingest reads the pseudonym secret of the key store, not anyone's key.
    List<TableReach.Access> ingest =
        TableReach.read(ProjectFiles.root().resolve("template.yaml")).stream()
            .filter(a -> a.function().equals("AnalyticsIngestFunction"))
            .filter(a -> a.table().equals("SubjectsTable"))
            .toList();

    assertThat(ingest).singleElement().satisfies(a -> assertThat(a.keyPrefixes()).isNotEmpty());
    assertThat(Tables.reached("SubjectsTable", ingest.get(0).keyPrefixes())).isEmpty();
    assertThat(Tables.reached("SubjectsTable", List.of())).isNotEmpty();
  }

  @Test
  void anUndeclaredPurpose_failsTheCheck() {
    List<String> violations =
        PurposeLimitation.violations(
            List.of(
                new FunctionAccess(
                    "F", List.of("MARKETING"), "OrdersTable", true, false, List.of())));

    assertThat(violations).anyMatch(v -> v.contains("unknown purpose MARKETING"));
  }
}
