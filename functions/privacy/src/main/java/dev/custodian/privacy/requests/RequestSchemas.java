package dev.custodian.privacy.requests;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.array;
import static dev.custodian.core.validation.Types.email;
import static dev.custodian.core.validation.Types.matching;
import static dev.custodian.core.validation.Types.oneOf;
import static dev.custodian.core.validation.Types.phone;
import static dev.custodian.core.validation.Types.string;

import dev.custodian.core.requests.RequestType;
import dev.custodian.core.validation.CommonSchemas;
import dev.custodian.core.validation.ObjectSchema;
import dev.custodian.core.validation.Schema;

/** What the data-subject request routes accept. */
public final class RequestSchemas {

  private RequestSchemas() {}

  /** A request by email ({@code POST /privacy/requests}): its code goes to that address. */
  static final Schema NEW_REQUEST = requestBody(true);

  /**
   * A signed-in account's request ({@code POST /me/privacy-requests}): the same body without an
   * address, as the account says who asks.
   */
  public static final Schema ACCOUNT_REQUEST = requestBody(false);

  private static Schema requestBody(boolean byEmail) {
    ObjectSchema body = object().required("type", oneOf(RequestType.names()));
    if (byEmail) {
      body = body.required("email", email());
    }
    return body.optional("regime", oneOf("GDPR", "CCPA"))
        .optional("visitorIds", array(matching(8, 128, "[A-Za-z0-9_-]+", "an opaque id"), 1, 20))
        .optional(
            "corrections",
            object()
                .optional("name", string(1, 200))
                .optional("phone", phone())
                .optional("shippingAddress", CommonSchemas.ADDRESS));
  }

  static final Schema VERIFY = object().required("code", matching(6, 6, "[0-9]{6}", "6 digits"));
}
