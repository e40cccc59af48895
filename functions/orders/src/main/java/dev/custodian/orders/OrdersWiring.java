package dev.custodian.orders;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.catalogue.CatalogueTable;
import dev.custodian.core.catalogue.PriceList;
import dev.custodian.core.config.RuntimeEnvironment;
import java.time.Clock;
import java.util.Map;

/** Builds the order services from the function's environment: once per container. */
final class OrdersWiring {

  private OrdersWiring() {}

  private record Wired(OrdersConfig config, PrivacyCore core, OrderStore store) {}

  private static Wired wire() {
    Map<String, String> env = RuntimeEnvironment.current();
    OrdersConfig config = OrdersConfig.fromEnvironment(env);
    PrivacyCore core =
        new PrivacyCore(config.core(), AwsClients.fromEnvironment(env), Clock.systemUTC());
    return new Wired(
        config,
        core,
        new OrderStore(core.dynamoDb(), config.ordersTable(), core.keyring(), core.retention()));
  }

  static OrderService fromEnvironment() {
    Wired w = wire();
    PriceList prices =
        new PriceList(
            new CatalogueTable(w.core().dynamoDb(), w.config().catalogueTable()), w.core().clock());
    return new OrderService(w.core(), w.store(), new Pricing(prices));
  }

  static PaymentService payments() {
    Wired w = wire();
    return new PaymentService(
        w.core(),
        w.store(),
        new WebhookSignature(
            new WebhookSecret(
                w.core().kms(),
                w.config().core().dataKeyId(),
                RuntimeEnvironment.optional(
                        RuntimeEnvironment.current(), WebhookSecret.CIPHERTEXT_VARIABLE)
                    .orElse("")),
            w.core().clock()));
  }
}
