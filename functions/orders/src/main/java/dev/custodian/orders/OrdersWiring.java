package dev.custodian.orders;

import dev.custodian.core.PrivacyCore;
import dev.custodian.core.aws.AwsClients;
import dev.custodian.core.config.RuntimeEnvironment;
import java.time.Clock;
import java.util.Map;

/** Builds the order service from the function's environment: once per container. */
final class OrdersWiring {

  private OrdersWiring() {}

  static OrderService fromEnvironment() {
    Map<String, String> env = RuntimeEnvironment.current();
    OrdersConfig config = OrdersConfig.fromEnvironment(env);
    PrivacyCore core =
        new PrivacyCore(config.core(), AwsClients.fromEnvironment(env), Clock.systemUTC());
    return new OrderService(
        core,
        new OrderStore(core.dynamoDb(), config.ordersTable(), core.keyring(), core.retention()));
  }
}
