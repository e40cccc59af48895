package dev.custodian.orders;

import dev.custodian.core.catalogue.CatalogueTable;
import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import java.util.Map;

/** The order functions' configuration, read once per container. */
record OrdersConfig(CoreConfig core, String ordersTable, String catalogueTable) {

  static final String ORDERS_TABLE = "ORDERS_TABLE";
  static final String CATALOGUE_TABLE = CatalogueTable.TABLE_VARIABLE;

  static OrdersConfig fromEnvironment(Map<String, String> env) {
    return new OrdersConfig(
        CoreConfig.fromEnvironment(env),
        RuntimeEnvironment.require(env, ORDERS_TABLE),
        RuntimeEnvironment.require(env, CATALOGUE_TABLE));
  }
}
