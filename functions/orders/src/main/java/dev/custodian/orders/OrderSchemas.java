package dev.custodian.orders;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.array;
import static dev.custodian.core.validation.Types.currency;
import static dev.custodian.core.validation.Types.email;
import static dev.custodian.core.validation.Types.integer;
import static dev.custodian.core.validation.Types.matching;
import static dev.custodian.core.validation.Types.multiline;
import static dev.custodian.core.validation.Types.oneOf;
import static dev.custodian.core.validation.Types.phone;
import static dev.custodian.core.validation.Types.string;

import dev.custodian.core.orders.OrderStatus;
import dev.custodian.core.validation.CommonSchemas;
import dev.custodian.core.validation.Schema;
import java.util.Arrays;

/**
 * What the order routes accept: nothing more than an order needs (docs/privacy.md, "Collect only
 * what is needed").
 */
final class OrderSchemas {

  private OrderSchemas() {}

  static final Schema NEW_ORDER =
      object()
          .required(
              "customer",
              object()
                  .required("email", email())
                  .required("name", string(1, 200))
                  .optional("phone", phone()))
          .required("shippingAddress", CommonSchemas.ADDRESS)
          .required(
              "items",
              array(
                  object()
                      .required("sku", CommonSchemas.SKU)
                      .required("quantity", integer(1, 1000)),
                  1,
                  100))
          .required("currency", currency())
          .required(
              "payment",
              object()
                  .required("provider", matching(1, 32, "[a-z0-9_-]+", "a provider name"))
                  .required("reference", string(1, 128))
                  .optional("cardLast4", matching(4, 4, "[0-9]{4}", "exactly 4 digits")))
          .required(
              "policyVersion", matching(1, 32, "[A-Za-z0-9._-]+", "a privacy policy version"));

  /** The payment provider's event (after its signature is checked). */
  static final Schema PAYMENT_EVENT =
      object()
          .required("eventId", matching(1, 64, "[A-Za-z0-9_-]+", "a provider event id"))
          .required("orderId", matching(34, 34, "o_[0-9a-f]{32}", "an order id"))
          .required("amount", integer(0, 10_000_000_000_000L))
          .required("currency", currency())
          .required("outcome", oneOf("succeeded", "failed"))
          .required(
              "providerReference", matching(1, 128, "[A-Za-z0-9_.:-]+", "a payment reference"))
          .optional("cardLast4", matching(4, 4, "[0-9]{4}", "exactly 4 digits"));

  /**
   * What an operator may set: never RECEIVED, and never PAID: only the payment provider's signed
   * event, matching the order's total, marks an order paid (a customer talking support into "mark
   * it paid" gets no goods).
   */
  static final Schema STATUS_CHANGE =
      object()
          .required(
              "status",
              oneOf(
                  Arrays.stream(OrderStatus.values())
                      .filter(s -> s != OrderStatus.RECEIVED && s != OrderStatus.PAID)
                      .map(Enum::name)
                      .toArray(String[]::new)))
          .optional("note", multiline(1, 500));
}
