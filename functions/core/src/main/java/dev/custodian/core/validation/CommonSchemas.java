package dev.custodian.core.validation;

import static dev.custodian.core.validation.ObjectSchema.object;
import static dev.custodian.core.validation.Types.country;
import static dev.custodian.core.validation.Types.matching;
import static dev.custodian.core.validation.Types.string;

/** Shapes that several routes accept alike. */
public final class CommonSchemas {

  private CommonSchemas() {}

  /** A product's stock-keeping unit: the catalogue's key, and what an order line names. */
  public static final Schema SKU = matching(1, 64, "[A-Za-z0-9._-]+", "a SKU");

  /** A postal address: the same rules for orders, corrections and profiles. */
  public static final Schema ADDRESS =
      object()
          .required("name", string(1, 200))
          .required("line1", string(1, 200))
          .optional("line2", string(1, 200))
          .required("city", string(1, 100))
          .optional("region", string(1, 100))
          .required("postalCode", matching(1, 16, "[A-Za-z0-9][A-Za-z0-9 -]*", "a postal code"))
          .required("country", country());
}
