package dev.custodian.local.iam;

/** The outcome of evaluating one access request against a role. */
public record Decision(Outcome outcome, String because) {

  public enum Outcome {
    ALLOW,
    IMPLICIT_DENY,
    EXPLICIT_DENY
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOW;
  }
}
