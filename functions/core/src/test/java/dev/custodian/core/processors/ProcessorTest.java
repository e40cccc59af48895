package dev.custodian.core.processors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ProjectFiles;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ProcessorTest {

  @Test
  void theRegister_namesTheFourProcessorsOfThePolicy() {
    assertThat(Processor.values())
        .extracting(Processor::name)
        .containsExactly("LOGISTICS", "PAYMENT", "EMAIL_DELIVERY", "HOSTING");
    for (Processor p : Processor.values()) {
      assertThat(p.receives()).isNotBlank();
      assertThat(p.where()).isNotBlank();
      assertThat(p.auditName()).doesNotContain("@").matches("[a-z-]+");
    }
  }

  @Test
  void docsPrivacy_showsTheRegisterAsTheCodeHasIt() throws Exception {
    // The docs render the register; a change here without the docs fails (paste the table).
    String privacy = Files.readString(ProjectFiles.root().resolve("docs/privacy.md"));
    assertThat(privacy).contains(Processor.markdownTable());
  }
}
