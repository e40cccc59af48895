/**
 * Privacy policy versions as data (docs/architecture.md#privacy-policy-versions): the versions
 * table's layout, the choice of the version in force, the policy text generated from the registries
 * the code enforces, and the version stamped on every record created under the policy.
 */
package dev.custodian.core.policy;
