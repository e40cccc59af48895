package dev.custodian.core.requests;

import java.util.Arrays;

/** What a data-subject request asks for, as its item's {@code type} holds it. */
public enum RequestType {
  ACCESS,
  ERASURE,
  RECTIFICATION,
  CLEAR_ANALYTICS;

  /** The names a request body may give, in this order (the API's schema lists them so). */
  public static String[] names() {
    return Arrays.stream(values()).map(Enum::name).toArray(String[]::new);
  }
}
