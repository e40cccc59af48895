package dev.custodian.notifier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.aws.SignedJsonCall;
import dev.custodian.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * SES v2's {@code SendEmail}, and nothing else of SES: one signed JSON {@code POST
 * /v2/email/outbound-emails} ({@link SignedJsonCall}). The SDK's SES v2 client is 2.7 MB of model
 * classes for ~100 operations the notifier never calls (it took the jar past its 12 MB budget); the
 * signer and HTTP client are already in every jar. A refusal throws {@link SignedJsonCall.Refused}
 * with SES's status and error type, never its message (which can quote the address).
 */
final class SesMail {

  private static final String PATH = "/v2/email/outbound-emails";

  private final SignedJsonCall call;

  SesMail(AwsClients clients) {
    this.call = new SignedJsonCall(clients, "ses", "email", "custodian-notifier");
  }

  /** Sends a plain-text email from the sender to one address. */
  void send(String from, String to, String subject, String body) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("FromEmailAddress", from);
    request.putObject("Destination").putArray("ToAddresses").add(to);
    ObjectNode simple = request.putObject("Content").putObject("Simple");
    simple.putObject("Subject").put("Data", subject).put("Charset", "UTF-8");
    simple.putObject("Body").putObject("Text").put("Data", body).put("Charset", "UTF-8");
    call.post(
        PATH,
        Map.of("Content-Type", "application/json"),
        Json.write(request).getBytes(StandardCharsets.UTF_8));
  }
}
