package dev.custodian.core.http;

import java.util.List;

/**
 * A failure the client can act on, mapped to a status and an error code at the edge. Its message
 * goes to the client: it must never hold personal data or internals.
 */
public final class ApiException extends RuntimeException {

  private final ErrorCode code;
  private final List<FieldProblem> fields;

  public ApiException(ErrorCode code, String message) {
    this(code, message, List.of());
  }

  public ApiException(ErrorCode code, String message, List<FieldProblem> fields) {
    super(message, null, false, false);
    this.code = code;
    this.fields = List.copyOf(fields);
  }

  public ErrorCode code() {
    return code;
  }

  public List<FieldProblem> fields() {
    return fields;
  }

  public static ApiException notFound() {
    return new ApiException(ErrorCode.NOT_FOUND, "Not found.");
  }

  /** A 400 naming one field (or query parameter) of the request and what is wrong with it. */
  public static ApiException invalid(String field, String problem) {
    return new ApiException(
        ErrorCode.VALIDATION_FAILED,
        "The request is not valid.",
        List.of(new FieldProblem(field, problem)));
  }

  /** One field of a request that failed validation: its JSON path and what is wrong with it. */
  public record FieldProblem(String field, String problem) {}
}
