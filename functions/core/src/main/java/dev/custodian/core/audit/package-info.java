/**
 * The append-only audit trail: one record per access, change, disclosure and erasure, only ever put
 * under a new key, never updated or deleted.
 */
package dev.custodian.core.audit;
