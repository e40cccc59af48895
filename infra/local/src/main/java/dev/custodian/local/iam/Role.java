package dev.custodian.local.iam;

import java.util.List;

/**
 * A function's execution role: every statement it holds, each with where it came from (the
 * function's inline policy, a managed policy of the template, or an AWS managed policy SAM
 * attaches).
 */
public record Role(String function, List<Grant> grants) {

  public Role {
    grants = List.copyOf(grants);
  }

  /** One statement of the role and the policy it came from. */
  public record Grant(String source, Statement statement) {}
}
