package dev.custodian.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.LocalCloudOptions;
import dev.custodian.local.ProjectFiles;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class CloudSelectionTest {

  private final AtomicBoolean dockerAsked = new AtomicBoolean();

  private BooleanSupplier docker(boolean answers) {
    return () -> {
      dockerAsked.set(true);
      return answers;
    };
  }

  @Test
  void endpointUrl_winsOverEverything() {
    for (String requested : new String[] {null, "", "auto", "external", "localstack", "moto"}) {
      CloudSelection.Choice choice =
          CloudSelection.choose("http://127.0.0.1:4566", requested, docker(false));
      assertThat(choice.kind()).isEqualTo(CloudSelection.Kind.EXTERNAL);
      assertThat(choice.endpoint()).contains(URI.create("http://127.0.0.1:4566"));
      assertThat(choice.reason()).contains("AWS_ENDPOINT_URL");
    }
    assertThat(dockerAsked).isFalse();
  }

  @Test
  void localstack_whenAskedForAndDockerAnswers() {
    CloudSelection.Choice choice = CloudSelection.choose(null, "LocalStack", docker(true));
    assertThat(choice.kind()).isEqualTo(CloudSelection.Kind.LOCALSTACK);
    assertThat(choice.describe()).startsWith("AWS emulator: localstack");
  }

  @Test
  void localstackWithoutDocker_failsFast_insteadOfFallingBackToMoto() {
    assertThatThrownBy(() -> CloudSelection.choose(null, "localstack", docker(false)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Docker daemon answers");
  }

  @Test
  void moto_byDefault_withoutAskingDocker() {
    CloudSelection.Choice choice = CloudSelection.choose("  ", null, docker(true));
    assertThat(choice.kind()).isEqualTo(CloudSelection.Kind.MOTO);
    assertThat(choice.reason()).contains("default");
    assertThat(CloudSelection.choose(null, "moto", docker(true)).reason()).isEqualTo("asked for");
    assertThat(dockerAsked).isFalse();
  }

  @Test
  void external_withoutAnEndpoint_andUnknownNames_areRefused() {
    assertThatThrownBy(() -> CloudSelection.choose(null, "external", docker(true)))
        .hasMessageContaining("AWS_ENDPOINT_URL is not set");
    assertThatThrownBy(() -> CloudSelection.choose(null, "azurite", docker(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("azurite");
  }

  @Test
  void theRealDockerProbe_onAMachineWithoutDocker_makesLocalStackFailFast() throws Exception {
    // Where Docker does answer this test says nothing, so it only runs its check without one.
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_ENDPOINT_URL") == null);
    org.junit.jupiter.api.Assumptions.assumeFalse(LocalStack.dockerAnswers());
    assertThatThrownBy(
            () ->
                LocalCloud.start(
                    LocalCloudOptions.builder(ProjectFiles.root().resolve("template.yaml"))
                        .cloud("localstack")
                        .build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Docker");
  }
}
