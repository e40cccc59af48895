package dev.custodian.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SignedJsonCallTest {

  @Test
  void theCallsPath_goesUnderAnEndpointsOwnPath_asTheSdksClientsPut() {
    assertThat(SignedJsonCall.under(URI.create("http://127.0.0.1:4566"), "/"))
        .isEqualTo(URI.create("http://127.0.0.1:4566/"));
    assertThat(SignedJsonCall.under(URI.create("http://127.0.0.1:4566/ddb-prefix"), "/"))
        .isEqualTo(URI.create("http://127.0.0.1:4566/ddb-prefix/"));
    assertThat(SignedJsonCall.under(URI.create("https://proxy.example/aws/"), "/v2/email/x"))
        .isEqualTo(URI.create("https://proxy.example/aws/v2/email/x"));
  }
}
