package dev.custodian.privacy.requests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.core.PrivacyCore;
import java.util.Map;

/** Data-subject requests made by a signed-in account (the login stands in for the code). */
public final class AccountRequests {

  private final PrivacyRequests requests;

  private AccountRequests(PrivacyRequests requests) {
    this.requests = requests;
  }

  public static AccountRequests fromEnvironment(Map<String, String> env, PrivacyCore core) {
    return new AccountRequests(PrivacyRequestHandler.wire(env, core));
  }

  /** Records a verified request for the subject and processes it; answers its token once. */
  public Object create(
      JsonNode body,
      String subjectId,
      String accountSubjectId,
      String email,
      String httpRequestId) {
    return requests.createForAccount(body, subjectId, accountSubjectId, email, httpRequestId);
  }
}
