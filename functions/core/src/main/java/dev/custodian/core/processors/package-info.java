/**
 * The register of processors (docs/privacy.md#processors): who receives what from Custodian, for
 * which purpose, and where in the code the disclosure happens. Docs and exports render it from
 * here.
 */
package dev.custodian.core.processors;
