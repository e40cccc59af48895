package dev.custodian.local.iam;

/**
 * Evaluates identity policies as IAM does for a principal without boundaries or session policies:
 * an explicit Deny wins, otherwise an Allow is needed, otherwise the request is denied by default.
 */
public final class Evaluator {

  private Evaluator() {}

  public static Decision decide(Role role, AccessRequest request) {
    String allowedBy = null;
    String unknown = null;
    for (Role.Grant grant : role.grants()) {
      Statement statement = grant.statement();
      if (!statement.coversAction(request.action())
          || !statement.coversResource(request.resource())) {
        continue;
      }
      boolean holds;
      try {
        holds = Conditions.hold(statement.conditions(), request.context());
      } catch (Conditions.Unknown e) {
        if (!statement.allow()) {
          return new Decision(
              Decision.Outcome.EXPLICIT_DENY,
              "a Deny in " + grant.source() + ": " + e.getMessage());
        }
        unknown = e.getMessage() + " (in " + grant.source() + ")";
        continue;
      }
      if (!holds) {
        continue;
      }
      if (!statement.allow()) {
        return new Decision(
            Decision.Outcome.EXPLICIT_DENY, "with an explicit deny in " + grant.source());
      }
      allowedBy = grant.source();
    }
    if (allowedBy != null) {
      return new Decision(Decision.Outcome.ALLOW, "allowed by " + allowedBy);
    }
    return new Decision(
        Decision.Outcome.IMPLICIT_DENY,
        unknown != null
            ? "because " + unknown
            : "because no identity-based policy allows the " + request.action() + " action");
  }
}
