package dev.custodian.orders;

import dev.custodian.core.catalogue.CatalogueTable;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import java.util.Map;

/**
 * The order and catalogue functions' configuration, read once per container; the names of the
 * environment variables they read are here alone.
 *
 * @param webhookSecretCiphertext the payment provider's signing secret, encrypted (see {@link
 *     WebhookSecret}); empty while the stack has none
 */
public record OrdersConfig(
    CoreConfig core, String ordersTable, String catalogueTable, String webhookSecretCiphertext) {

  static final String ORDERS_TABLE = "ORDERS_TABLE";
  static final String CATALOGUE_TABLE = CatalogueTable.TABLE_VARIABLE;
  static final String WEBHOOK_SECRET_CIPHERTEXT = "PAYMENT_WEBHOOK_SECRET_CIPHERTEXT";

  public static OrdersConfig fromEnvironment(Map<String, String> env) {
    return new OrdersConfig(
        CoreConfig.fromEnvironment(env),
        RuntimeEnvironment.require(env, ORDERS_TABLE),
        RuntimeEnvironment.require(env, CATALOGUE_TABLE),
        RuntimeEnvironment.optional(env, WEBHOOK_SECRET_CIPHERTEXT).orElse(""));
  }
}
