package dev.custodian.privacy.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.local.ApiClient;
import dev.custodian.local.ApiClient.Response;
import dev.custodian.local.LocalCloud;
import dev.custodian.local.ProjectFiles;
import dev.custodian.local.SharedLocalCloud;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An attacker who knows an address guesses verification codes: every request of the address gives a
 * code (or none) and three tries, but the wrong codes of all its requests count together.
 */
class CodeGuessingIT {

  private final LocalCloud cloud = SharedLocalCloud.get();
  private final ApiClient api = new ApiClient(cloud.baseUri());

  private String knownEmail() throws Exception {
    String email = "guessed." + UUID.randomUUID() + "@example.com";
    JsonNode event =
        dev.custodian.core.json.Json.MAPPER.readTree(
            Files.readString(ProjectFiles.event("orders/place-order.json")));
    String body = event.path("body").asText().replace("jane.doe@example.com", email);
    assertThat(
            api.send("POST", "/orders", body, Map.of("idempotency-key", "k-" + UUID.randomUUID()))
                .status())
        .isEqualTo(201);
    return email;
  }

  private String request(String email) {
    Response created =
        api.post("/privacy/requests", Map.of("type", "ACCESS", "email", email), Map.of());
    assertThat(created.status()).isEqualTo(202);
    return created.json().path("requestId").asText();
  }

  private Response verify(String requestId, String code) {
    return api.post("/privacy/requests/" + requestId + "/verify", Map.of("code", code), Map.of());
  }

  private static String otherThan(String code) {
    return code.equals("000000") ? "111111" : "000000";
  }

  @Test
  void wrongCodesOnManyRequests_countTogether_andPastTenTheRightCodeIsRefusedLikeAWrongOne()
      throws Exception {
    String email = knownEmail();
    String mailed = request(email);
    String code = api.codeFor(email, mailed);
    // Five more requests: two more are mailed (three a day), three are not.
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      others.add(request(email));
    }
    Response wrongAnswer = null;
    for (String other : others) {
      for (int i = 0; i < 2; i++) {
        wrongAnswer = verify(other, otherThan(code));
        assertThat(wrongAnswer.status()).isEqualTo(400);
      }
    }

    // Ten wrong codes for this address: its own right code is now refused, exactly like a wrong
    // one.
    Response refused = verify(mailed, code);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json()).isEqualTo(wrongAnswer.json());

    // No stored request carries a code that was never emailed.
    int withCode = 0;
    for (String requestId : others) {
      Map<String, AttributeValue> item = SeededRequests.read(cloud, requestId);
      if (item.containsKey("codeHash")) {
        withCode++;
        api.codeFor(email, requestId); // it was emailed
      }
    }
    assertThat(withCode).as("requests holding a code: the two mailed ones").isLessThanOrEqualTo(2);

    // Another address is not held back by this one's wrong codes.
    String someoneElse = knownEmail();
    String theirs = request(someoneElse);
    assertThat(verify(theirs, api.codeFor(someoneElse, theirs)).status()).isEqualTo(200);
  }

  @Test
  void aRightCode_isAcceptedAfterAFewWrongOnes_belowTheCap() throws Exception {
    String email = knownEmail();
    String first = request(email);
    String code = api.codeFor(email, first);
    String second = request(email);
    for (int i = 0; i < 2; i++) {
      assertThat(verify(first, otherThan(code)).status()).isEqualTo(400);
      assertThat(verify(second, otherThan(code)).status()).isEqualTo(400);
    }
    assertThat(verify(first, code).status()).isEqualTo(200);
  }

  @Test
  void aFloodOfConcurrentGuesses_countsNoMoreThanTen_andStoresNoAddress() throws Exception {
    String email = knownEmail();
    String mailed = request(email);
    String code = api.codeFor(email, mailed);
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      others.add(request(email));
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
      for (String other : others) {
        for (int i = 0; i < 3; i++) {
          answers.add(pool.submit(() -> verify(other, otherThan(code)).status()));
        }
      }
      for (java.util.concurrent.Future<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(400);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(verify(mailed, code).status()).isEqualTo(400);

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
