/**
 * The analytics function: anonymous browsing events in (consent-gated, pseudonymous), daily
 * statistics out through the stream aggregator, and forgetting a visitor.
 */
package dev.custodian.analytics;
