package dev.custodian.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.retention.DataClass;
import dev.custodian.core.retention.RetentionRegistry;
import dev.custodian.local.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record of processing is generated from the code by the build: the reach resource the
 * functions carry and docs/record-of-processing.md are rewritten here when they differ from what
 * the code and template say (and the test fails, so the change is seen and committed).
 */
class RecordOfProcessingTest {

  private static final Path ACCESS =
      Path.of("functions/core/src/main/resources" + RecordOfProcessing.ACCESS_RESOURCE);

  @Test
  void theReachResource_isWhatTheTemplatesIamGrants() throws Exception {
    String generated = RecordOfProcessing.accessJson(TemplateReach.ofProject());
    assertUpToDate(ProjectFiles.root().resolve(ACCESS), generated);
  }

  @Test
  void docsRecordOfProcessing_isGeneratedFromTheCode() throws Exception {
    String generated =
        new RecordOfProcessing(RetentionRegistry.defaults(), TemplateReach.ofProject())
            .asMarkdown();
    assertUpToDate(ProjectFiles.root().resolve("docs/record-of-processing.md"), generated);
  }

  @Test
  void theRecord_describesEveryDataClass_withWhoReadsAndWritesIt() throws Exception {
    Map<String, Object> json =
        new RecordOfProcessing(RetentionRegistry.defaults(), TemplateReach.ofProject()).asJson();

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> classes = (List<Map<String, Object>>) json.get("dataClasses");
    assertThat(classes).hasSize(DataClass.values().length);
    Map<String, Object> contact =
        classes.stream().filter(c -> c.get("dataClass").equals("ORDER_CONTACT")).findFirst().get();
    assertThat(contact.get("writtenBy").toString()).contains("PlaceOrderFunction");
    assertThat(contact.get("readBy").toString())
        .contains("OrderAdminFunction", "ExportWorkerFunction", "DisclosureAdminFunction")
        .doesNotContain("AnalyticsIngestFunction");
    assertThat(contact.get("processors").toString()).contains("LOGISTICS");
    assertThat(contact.get("legalBasis").toString()).contains("Art. 6(1)(b)");
    assertThat(contact.get("retention")).isEqualTo("730 days after the order");
    @SuppressWarnings("unchecked")
    Map<String, String> safeguards = (Map<String, String>) contact.get("safeguards");
    assertThat(safeguards.get("sealing")).contains("own data key");
    // the key store's secrets are not anyone's data: the analytics ingest reads no profile
    Map<String, Object> profile =
        classes.stream()
            .filter(c -> c.get("dataClass").equals("SUBJECT_PROFILE"))
            .findFirst()
            .get();
    assertThat(profile.get("readBy").toString()).doesNotContain("AnalyticsIngestFunction");
  }

  @Test
  void theBuiltResource_isOnTheClasspath() {
    assertThat(RecordOfProcessing.builtAccess()).isNotEmpty();
  }

  private static void assertUpToDate(Path file, String generated) throws Exception {
    String committed = Files.exists(file) ? Files.readString(file) : "";
    if (!committed.equals(generated)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, generated);
    }
    assertThat(committed)
        .as(file + " was stale: the build regenerated it; review and commit it")
        .isEqualTo(generated);
  }
}
