package dev.custodian.orders;

import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import java.util.Map;

/** The order functions' configuration, read once per container. */
record OrdersConfig(CoreConfig core, String ordersTable) {

  static final String ORDERS_TABLE = "ORDERS_TABLE";

  static OrdersConfig fromEnvironment(Map<String, String> env) {
    return new OrdersConfig(
        CoreConfig.fromEnvironment(env), RuntimeEnvironment.require(env, ORDERS_TABLE));
  }
}
