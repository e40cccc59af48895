package dev.custodian.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalJwtTest {

  private final LocalJwt jwt = new LocalJwt();
  private final List<String> audience = List.of("client");

  @Test
  void verify_acceptsItsOwnTokens_andGivesClaimsAsText() {
    String token = jwt.mint(Map.of("sub", "u1", "groups", List.of("a", "b")), "iss", audience);

    Map<String, String> claims = jwt.verify(token, "iss", audience).orElseThrow();

    assertThat(claims).containsEntry("sub", "u1").containsEntry("groups", "[a b]");
    assertThat(Long.parseLong(claims.get("auth_time")))
        .isLessThanOrEqualTo(Instant.now().getEpochSecond());
  }

  @Test
  void verify_refusesOtherKeysIssuersAudiencesAndExpiredTokens() {
    String token = jwt.mint(Map.of("sub", "u1"), "iss", audience);

    assertThat(new LocalJwt().verify(token, "iss", audience)).isEmpty();
    assertThat(jwt.verify(token, "other", audience)).isEmpty();
    assertThat(jwt.verify(token, "iss", List.of("someone-else"))).isEmpty();
    String expired =
        jwt.mint(Map.of("sub", "u1", "exp", Instant.now().getEpochSecond() - 1), "iss", audience);
    assertThat(jwt.verify(expired, "iss", audience)).isEmpty();
    assertThat(jwt.verify("not-a-token", "iss", audience)).isEmpty();
  }

  @Test
  void verify_refusesAlgNone() {
    String token = jwt.mint(Map.of("sub", "u1"), "iss", audience);
    String[] parts = token.split("\\.");
    String none =
        java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes())
            + "."
            + parts[1]
            + ".";
    assertThat(jwt.verify(none, "iss", audience)).isEmpty();
  }
}
