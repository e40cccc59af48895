package dev.custodian.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.core.processors.Processor;
import dev.custodian.core.retention.RetentionRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTextTest {

  private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");

  private static String render(RetentionRegistry retention) {
    return PolicyText.render(PolicyText.defaultTemplate(), "v1", FROM, retention);
  }

  @Test
  void defaultTemplate_rendersEveryClassWithTheRetentionTheCodeApplies() {
    RetentionRegistry retention = RetentionRegistry.defaults();

    String text = render(retention);

    Map<String, String> stated = PolicyText.statedRetention(text);
    for (RetentionRegistry.Notice notice : retention.notices()) {
      assertThat(stated).containsEntry(notice.title(), notice.kept());
    }
    assertThat(PolicyText.disagreements(text, retention)).isEmpty();
    assertThat(text).contains("Version v1, in force from 2026-11-01T00:00:00Z.");
    assertThat(text).doesNotContain("{{");
  }

  @Test
  void render_namesEveryProcessorOfTheRegister_andThePurposes() {
    String text = render(RetentionRegistry.defaults());

    for (Processor p : Processor.values()) {
      assertThat(text).contains("| " + p.title() + " | " + p.purpose() + " |");
    }
    assertThat(text).contains("- to answer support requests");
    assertThat(text).doesNotContain("- to price orders"); // not personal data: no purpose to state
  }

  @Test
  void aChangedRetentionParameter_changesThePublishedFigure() {
    RetentionRegistry shorter =
        RetentionRegistry.fromEnvironment(Map.of("RETENTION_CONTACT_MESSAGE_DAYS", "180"));

    String text = render(shorter);

    assertThat(PolicyText.statedRetention(text)).containsEntry("Contact messages", "180 days");
    assertThat(PolicyText.disagreements(text, shorter)).isEmpty();
  }

  @Test
  void aTextFromBeforeTheChange_disagreesWithTheCode() {
    String published = render(RetentionRegistry.defaults());
    RetentionRegistry now =
        RetentionRegistry.fromEnvironment(Map.of("RETENTION_CONTACT_MESSAGE_DAYS", "180"));

    assertThat(PolicyText.disagreements(published, now))
        .containsExactly("Contact messages: states \"365 days\", the code applies \"180 days\"");
  }

  @Test
  void aPeriodTypedIntoTheProse_isADisagreement() {
    String text = render(RetentionRegistry.defaults()) + "\nWe keep messages for 5 years.\n";

    assertThat(PolicyText.disagreements(text, RetentionRegistry.defaults()))
        .anyMatch(p -> p.startsWith("a period stated outside the retention table"));
  }

  @Test
  void aPeriodInWordsAbbreviationsOrOtherDigits_isStillAPeriod() {
    for (String prose :
        List.of(
            "thirty days",
            "one year",
            "30\u00a0days",
            "6 mths",
            "5yrs",
            "24h",
            "\uff13\uff10 days",
            "forever",
            "kept indefinitely",
            "an hour")) {
      assertThat(PolicyText.problems("{{dataClasses}}\n{{processors}}\nWe keep it " + prose + "."))
          .as(prose)
          .anyMatch(p -> p.startsWith("states a period"));
    }
    // prose that names no period stays publishable
    assertThat(
            PolicyText.problems(
                "{{dataClasses}}\n{{processors}}\nCards are checked with 3-D Secure by a"
                    + " payment processor."))
        .isEmpty();
  }

  @Test
  void aTemplate_mustLeaveTheFactsToTheRegistries() {
    assertThat(PolicyText.problems("# Policy\n\nWe keep data for 30 days.\n"))
        .contains(
            "must contain {{dataClasses}} (the facts are generated)",
            "must contain {{processors}} (the facts are generated)",
            "states a period (30 days); retention periods come from {{dataClasses}} only");
    assertThat(PolicyText.problems("{{dataClasses}} {{processors}} {{secret}}"))
        .containsExactly("unknown placeholder {{secret}}");
    assertThat(PolicyText.problems("{{dataClasses}}\n{{processors}}")).isEmpty();
    assertThatThrownBy(
            () -> PolicyText.render("{{dataClasses}}", "v", FROM, RetentionRegistry.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultTemplate_hasNoProblems() {
    assertThat(PolicyText.problems(PolicyText.defaultTemplate())).isEmpty();
  }
}
