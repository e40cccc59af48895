package dev.custodian.core.audit;

import dev.custodian.core.retention.DataClass;
import java.util.Objects;

/**
 * One operation on personal data: who, what, which record of which class, whose, why, and how it
 * ended. It holds no personal data: subjects appear by their random subject id, operators by their
 * IAM principal, customers by the record they hold a token for.
 */
public record AuditRecord(
    Actor actor,
    Action action,
    DataClass dataClass,
    String recordId,
    String subjectId,
    Purpose purpose,
    Outcome outcome,
    String requestId) {

  public AuditRecord {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(dataClass, "dataClass");
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(outcome, "outcome");
    requirePseudonymous("recordId", recordId);
    if (subjectId != null) {
      requirePseudonymous("subjectId", subjectId);
    }
    requestId = requestId == null ? "" : requestId;
  }

  /** What was done. */
  public enum Action {
    CREATE,
    READ,
    UPDATE,
    DELETE,
    EXPORT,
    ERASE,
    DISCLOSE
  }

  /**
   * Why: the purposes of the privacy policy
   * (docs/architecture.md#record-of-processing-and-purpose-limitation).
   */
  public enum Purpose {
    ORDER_FULFILMENT,
    SUPPORT,
    STATISTICS,
    DATA_SUBJECT_REQUEST,
    LEGAL_OBLIGATION
  }

  public enum Outcome {
    SUCCESS,
    DENIED,
    FAILED
  }

  /** Who acted, by a pseudonymous id. */
  public record Actor(Type type, String id) {
    public enum Type {
      /** A guest customer, identified by the record their token opens. */
      CUSTOMER,
      /** A signed-in account, by the identity provider's subject. */
      ACCOUNT,
      /** An operator, by IAM principal ARN. */
      OPERATOR,
      /** A function acting on its own (a queue consumer, a scheduled job). */
      FUNCTION,
      /** A processor of the register (e.g. the payment provider's signed webhook), by name. */
      PROCESSOR
    }

    public Actor {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(id, "id");
      requirePseudonymous("actor id", id);
    }

    public static Actor customer(String recordId) {
      return new Actor(Type.CUSTOMER, recordId);
    }

    public static Actor account(String sub) {
      return new Actor(Type.ACCOUNT, sub);
    }

    public static Actor operator(String principalArn) {
      return new Actor(Type.OPERATOR, principalArn);
    }

    public static Actor function(String name) {
      return new Actor(Type.FUNCTION, name);
    }

    public static Actor processor(String name) {
      return new Actor(Type.PROCESSOR, name);
    }
  }

  /** A guard against the obvious mistake of putting an email into the trail. */
  static void requirePseudonymous(String what, String value) {
    if (value.indexOf('@') >= 0 || value.length() > 256) {
      throw new IllegalArgumentException(what + " must be a pseudonymous id");
    }
  }
}
