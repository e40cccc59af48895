package dev.custodian.local.iam;

import java.util.List;
import java.util.Map;

/**
 * One authorization AWS makes for a call: an action on a resource, with the request's condition
 * keys (for example {@code kms:EncryptionContext:purpose}). A compound call such as {@code
 * TransactWriteItems} is several of these, all of which must be allowed.
 */
public record AccessRequest(String action, String resource, Map<String, List<String>> context) {

  public AccessRequest {
    context = Map.copyOf(context);
  }

  public static AccessRequest of(String action, String resource) {
    return new AccessRequest(action, resource, Map.of());
  }
}
