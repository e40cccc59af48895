package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Codes sent for one request at once, released together by a barrier: every wrong one counts
 * against the request's {@link CodeVerification#CODE_ATTEMPTS}, and a right one losing a race only
 * to a wrong one's count still verifies.
 */
class ConcurrentCodesIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);

  private static String otherThan(String code) {
    return code.equals("000000") ? "111111" : "000000";
  }

  /** The answers' statuses to {@code codes}, sent for the request all at once. */
  private List<Integer> sendTogether(String requestId, List<String> codes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(codes.size());
    CyclicBarrier start = new CyclicBarrier(codes.size());
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (String code : codes) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return scenarios.verify(requestId, code).status();
                }));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wrongCodesAtOnce_areEachCounted_andRejectTheRequestAtTheLimit() throws Exception {
    for (int run = 0; run < 3; run++) {
      String email = "together." + UUID.randomUUID() + "@example.com";
      String requestId = scenarios.request("ACCESS", email);
      String code = scenarios.code(email, requestId);

      List<Integer> answers = sendTogether(requestId, Collections.nCopies(5, otherThan(code)));

      assertThat(answers).containsOnly(400);
      Map<String, AttributeValue> item = SeededRequests.read(cloud, requestId);
      assertThat(item.get("status").s()).as("run %d", run).isEqualTo("REJECTED");
      assertThat(item.get("attempts").n())
          .as("run %d", run)
          .isEqualTo(Integer.toString(CodeVerification.CODE_ATTEMPTS));
      assertThat(scenarios.verify(requestId, code).status()).isEqualTo(400);
    }
  }

  @Test
  void aRightCodeSentWithAWrongOne_alwaysVerifies() throws Exception {
    for (int run = 0; run < 4; run++) {
      String email = "together." + UUID.randomUUID() + "@example.com";
      String requestId = scenarios.request("ACCESS", email);
      String code = scenarios.code(email, requestId);

      List<Integer> answers = sendTogether(requestId, List.of(code, otherThan(code)));

      assertThat(answers).as("run %d: right, wrong", run).containsExactly(200, 400);
      assertThat(SeededRequests.read(cloud, requestId).get("status").s())
          .isNotIn("PENDING_VERIFICATION", "REJECTED");
    }
  }
}
