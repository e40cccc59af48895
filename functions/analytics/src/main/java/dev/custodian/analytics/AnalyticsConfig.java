package dev.custodian.analytics;

import dev.custodian.core.config.CoreConfig;
import dev.custodian.core.config.RuntimeEnvironment;
import java.util.Map;

/** The analytics function's configuration, read once per container. */
record AnalyticsConfig(
    CoreConfig core, String eventsTable, String aggregatesTable, PageTypes pageTypes) {

  static final String EVENTS_TABLE = "ANALYTICS_EVENTS_TABLE";
  static final String AGGREGATES_TABLE = "ANALYTICS_AGGREGATES_TABLE";
  static final String PAGE_TYPES = "ANALYTICS_PAGE_TYPES";

  static AnalyticsConfig fromEnvironment(Map<String, String> env) {
    return new AnalyticsConfig(
        CoreConfig.fromEnvironment(env),
        RuntimeEnvironment.require(env, EVENTS_TABLE),
        RuntimeEnvironment.require(env, AGGREGATES_TABLE),
        PageTypes.parse(env.get(PAGE_TYPES)));
  }
}
