/**
 * The record of processing (Art. 30 GDPR) and purpose limitation
 * (docs/architecture.md#record-of-processing-and-purpose-limitation): which data class lives in
 * which table, which function may reach it and why. The function-to-table reach comes from the
 * template's IAM, generated at build time into {@code function-access.json} (a deployed function
 * cannot read the template).
 */
package dev.custodian.core.processing;
