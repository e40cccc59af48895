package dev.custodian.core.snapstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.core.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrimingTest {

  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

  @AfterEach
  void restoreLogs() {
    Log.redirect(null);
  }

  @Test
  void stepsRunOnce_aFailingStepIsSkippedQuietly_andANameIsReplacedNotAdded() {
    Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    Priming.register("test-step", first::incrementAndGet);
    Priming.register("test-step", second::incrementAndGet);
    Priming.register(
        "test-failing",
        () -> {
          throw new IllegalStateException("secret jane@example.com");
        });

    int ran = Priming.primeNow();

    assertThat(first).hasValue(0);
    assertThat(second).hasValue(1);
    assertThat(Priming.steps()).containsOnlyOnce("test-step");
    assertThat(ran).isEqualTo(Priming.steps().size() - 1);
    String logged = logs.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("priming step failed").contains("IllegalStateException");
    assertThat(logged).doesNotContain("jane@example.com");
  }

  @Test
  void theHttpPrimingEvent_isARouteRequestWithAJsonBody() {
    var event = Priming.httpEvent("GET /orders/{orderId}", "/orders/o_x", null);
    assertThat(event.getRouteKey()).isEqualTo("GET /orders/{orderId}");
    assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("GET");
    assertThat(event.getRawPath()).isEqualTo("/orders/o_x");
  }
}
