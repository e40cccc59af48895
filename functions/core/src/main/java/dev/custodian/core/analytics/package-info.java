/**
 * The analytics aggregates table's layout ({@code AggregateItems}): its keys, shards and counter
 * names, shared by the function that writes the counts, the route that reads them, and the capacity
 * model.
 */
package dev.custodian.core.analytics;
