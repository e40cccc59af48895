package dev.custodian.core.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

class PrivacyRequestItemsTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String ID = "r_0123456789abcdef0123456789abcdef";

  @Test
  void finishedRequests_neverMoveAgain() {
    for (RequestStatus finished :
        List.of(RequestStatus.COMPLETED, RequestStatus.REJECTED, RequestStatus.DENIED)) {
      for (RequestStatus next : RequestStatus.values()) {
        assertThat(finished.canMoveTo(next)).isFalse();
      }
    }
    assertThat(RequestStatus.VERIFIED.canMoveTo(RequestStatus.REJECTED)).isFalse();
    assertThat(RequestStatus.IN_PROGRESS.canMoveTo(RequestStatus.DENIED)).isFalse();
  }

  @Test
  void openAndOwedStatuses_areTheUnfinishedAndTheVerifiedUnanswered() {
    assertThat(RequestStatus.open())
        .containsExactly(
            RequestStatus.PENDING_VERIFICATION, RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS);
    assertThat(RequestStatus.owed())
        .containsExactly(RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS);
  }

  @Test
  void move_refusesATransitionTheStatusesDoNotAllow() {
    assertThatThrownBy(
            () ->
                PrivacyRequestItems.move(
                    ID, RequestStatus.VERIFIED, RequestStatus.REJECTED, NOW, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void move_isConditionalOnTheExpectedStatus_andAppendsTheStep() {
    UpdateItemRequest update =
        PrivacyRequestItems.move(
                ID,
                RequestStatus.PENDING_VERIFICATION,
                RequestStatus.REJECTED,
                NOW,
                "verification failed")
            .when("attempts = :attempts", Map.of(":attempts", AttributeValue.fromN("2")))
            .set(PrivacyRequestItems.ATTEMPTS, AttributeValue.fromN("3"))
            .remove(PrivacyRequestItems.CODE_HASH)
            .request("requests");

    assertThat(update.key()).isEqualTo(Map.of("pk", AttributeValue.fromS("request#" + ID)));
    assertThat(update.conditionExpression()).isEqualTo("#s = :from0 AND attempts = :attempts");
    assertThat(update.expressionAttributeValues().get(":from0").s())
        .isEqualTo("PENDING_VERIFICATION");
    assertThat(update.expressionAttributeValues().get(":to").s()).isEqualTo("REJECTED");
    assertThat(update.updateExpression())
        .startsWith("SET #s = :to, history = list_append(history, :entry), ")
        .contains(" REMOVE ");
    Map<String, AttributeValue> entry =
        update.expressionAttributeValues().get(":entry").l().get(0).m();
    assertThat(entry)
        .containsEntry("status", AttributeValue.fromS("REJECTED"))
        .containsEntry("at", AttributeValue.fromS(NOW.toString()))
        .containsEntry("reason", AttributeValue.fromS("verification failed"));
    assertThat(update.expressionAttributeNames())
        .containsValues("status", PrivacyRequestItems.ATTEMPTS, PrivacyRequestItems.CODE_HASH);
  }

  @Test
  void read_typesThePlainAttributes_andTheRecordedPlan() {
    PrivacyRequest request =
        PrivacyRequestItems.read(
            Map.of(
                "pk", AttributeValue.fromS("request#" + ID),
                "requestId", AttributeValue.fromS(ID),
                "type", AttributeValue.fromS("ERASURE"),
                "status", AttributeValue.fromS("IN_PROGRESS"),
                "attempts", AttributeValue.fromN("2"),
                "planned_ORDER_CONTACT", AttributeValue.fromN("3")));

    assertThat(request.type()).isEqualTo(RequestType.ERASURE);
    assertThat(request.status()).isEqualTo(RequestStatus.IN_PROGRESS);
    assertThat(request.attempts()).isEqualTo(2);
    assertThat(request.isPlanned()).isTrue();
    assertThat(request.plannedCount("ORDER_CONTACT")).isEqualTo(3);
    assertThat(request.plannedCount("EXPORT")).isZero();
    assertThat(PrivacyRequestItems.requestIdOf("request#" + ID)).isEqualTo(ID);
    assertThat(PrivacyRequestItems.requestIdOf("request#" + ID + "#email")).isNull();
  }
}
