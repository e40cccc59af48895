package dev.custodian.e2e.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.Scenarios;
import dev.custodian.local.SharedLocalCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An attacker who knows an address guesses verification codes: every request of the address gives a
 * code (or none) and three tries, but the wrong codes of all its requests count together.
 */
class CodeGuessingIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final Scenarios scenarios = Scenarios.on(cloud);
  private final ApiClient api = scenarios.api();

  private static String otherThan(String code) {
    return code.equals("000000") ? "111111" : "000000";
  }

  @Test
  void wrongCodesOnManyRequests_countTogether_andPastTenTheRightCodeIsRefusedLikeAWrongOne()
      throws Exception {
    String email = scenarios.knownEmail("guessed");
    String mailed = scenarios.request("ACCESS", email);
    String code = scenarios.code(email, mailed);
    // Five more requests: two more are mailed (three a day), three are not.
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      others.add(scenarios.request("ACCESS", email));
    }
    Response wrongAnswer = null;
    for (String other : others) {
      for (int i = 0; i < 2; i++) {
        wrongAnswer = scenarios.verify(other, otherThan(code));
        assertThat(wrongAnswer.status()).isEqualTo(400);
      }
    }

    // Ten wrong codes for this address: its own right code is now refused, exactly like a wrong
    // one.
    Response refused = scenarios.verify(mailed, code);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json()).isEqualTo(wrongAnswer.json());

    // No stored request carries a code that was never emailed.
    String table = cloud.ref("PrivacyRequestsTable");
    int withCode = 0;
    for (String requestId : others) {
      Map<String, AttributeValue> item =
          cloud
              .emulator()
              .dynamoDb()
              .getItem(
                  b ->
                      b.tableName(table)
                          .key(Map.of("pk", AttributeValue.fromS("request#" + requestId)))
                          .consistentRead(true))
              .item();
      if (item.containsKey("codeHash")) {
        withCode++;
        scenarios.code(email, requestId); // it was emailed
      }
    }
    assertThat(withCode).as("requests holding a code: the two mailed ones").isLessThanOrEqualTo(2);

    // Another address is not held back by this one's wrong codes.
    String someoneElse = scenarios.knownEmail("guessed");
    String theirs = scenarios.request("ACCESS", someoneElse);
    assertThat(scenarios.verify(theirs, scenarios.code(someoneElse, theirs)).status())
        .isEqualTo(200);
  }

  @Test
  void aRightCode_isAcceptedAfterAFewWrongOnes_belowTheCap() throws Exception {
    String email = scenarios.knownEmail("guessed");
    String first = scenarios.request("ACCESS", email);
    String code = scenarios.code(email, first);
    String second = scenarios.request("ACCESS", email);
    for (int i = 0; i < 2; i++) {
      assertThat(scenarios.verify(first, otherThan(code)).status()).isEqualTo(400);
      assertThat(scenarios.verify(second, otherThan(code)).status()).isEqualTo(400);
    }
    assertThat(scenarios.verify(first, code).status()).isEqualTo(200);
  }

  @Test
  void aFloodOfConcurrentGuesses_countsNoMoreThanTen_andStoresNoAddress() throws Exception {
    String email = scenarios.knownEmail("guessed");
    String mailed = scenarios.request("ACCESS", email);
    String code = scenarios.code(email, mailed);
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      others.add(scenarios.request("ACCESS", email));
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
      for (String other : others) {
        for (int i = 0; i < 3; i++) {
          answers.add(pool.submit(() -> scenarios.verify(other, otherThan(code)).status()));
        }
      }
      for (java.util.concurrent.Future<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(400);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(scenarios.verify(mailed, code).status()).isEqualTo(400);

    // The counter item: ten slots at most, keyed by the address's blind index, no address in it.
    String table = cloud.ref("PrivacyRequestsTable");
    List<Map<String, AttributeValue>> counters = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        cloud.emulator().dynamoDb().scanPaginator(b -> b.tableName(table)).items()) {
      if (item.get("pk").s().startsWith("guesses#")) {
        counters.add(item);
      }
    }
    Map<String, AttributeValue> mine =
        counters.stream()
            .filter(c -> c.keySet().stream().filter(k -> k.startsWith("guess")).count() == 10)
            .findFirst()
            .orElseThrow();
    assertThat(mine.keySet())
        .allMatch(k -> k.equals("pk") || k.equals("expiresAt") || k.matches("guess[0-9]"));
    assertThat(counters.toString()).doesNotContain(email).doesNotContain("@");
  }
}
