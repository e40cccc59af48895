/**
 * The analytics aggregates table's layout ({@code AggregateItems}): its keys, shards and counter
 * names, shared by the function that writes the counts, the route that reads them, and the capacity
 * model; and the visitors' pseudonyms ({@code VisitorPseudonyms}), shared by ingest and the
 * requests that find or erase a visitor's events.
 */
package dev.custodian.core.analytics;
