/**
 * Requests retried with the same key take effect once (the semantics of Powertools' idempotency
 * utility, built small).
 */
package dev.custodian.core.idempotency;
