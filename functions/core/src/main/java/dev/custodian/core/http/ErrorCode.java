package dev.custodian.core.http;

/** The error codes of the API with their HTTP status: the one place that maps one to the other. */
public enum ErrorCode {
  VALIDATION_FAILED(400, "validation_failed"),
  MALFORMED_JSON(400, "malformed_json"),
  UNAUTHORIZED(401, "unauthorized"),
  REAUTHENTICATION_REQUIRED(401, "reauthentication_required"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  CONFLICT(409, "conflict"),
  IDEMPOTENCY_KEY_REUSED(409, "idempotency_key_reused"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  TOO_MANY_REQUESTS(429, "too_many_requests"),
  INTERNAL(500, "internal_error"),
  UNAVAILABLE(503, "service_unavailable");

  private final int status;
  private final String wireName;

  ErrorCode(int status, String wireName) {
    this.status = status;
    this.wireName = wireName;
  }

  public int status() {
    return status;
  }

  public String wireName() {
    return wireName;
  }
}
