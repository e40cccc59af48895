package dev.custodian.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import org.junit.jupiter.api.Test;

class RuntimeApiClassLoaderTest {

  private final RuntimeApiClassLoader loader =
      new RuntimeApiClassLoader(RuntimeApiClassLoaderTest.class.getClassLoader());

  @Test
  void sharesTheRuntimeInterfaces() throws Exception {
    assertThat(loader.loadClass("com.amazonaws.services.lambda.runtime.Context"))
        .isSameAs(Context.class);
    assertThat(
            RuntimeApiClassLoader.isRuntimeApi(
                "com.amazonaws.services.lambda.runtime.logging.LogLevel"))
        .isTrue();
  }

  @Test
  void hidesEverythingElse_soFunctionJarsMustBeComplete() {
    assertThat(
            RuntimeApiClassLoader.isRuntimeApi(
                "com.amazonaws.services.lambda.runtime.events.SQSEvent"))
        .isFalse();
    assertThatThrownBy(() -> loader.loadClass("software.amazon.awssdk.services.sqs.SqsClient"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> loader.loadClass("com.fasterxml.jackson.databind.ObjectMapper"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
