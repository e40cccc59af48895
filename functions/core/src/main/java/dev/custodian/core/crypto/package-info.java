/**
 * Encryption per person: each subject's data key (wrapped by KMS), the sealing of fields to the
 * address they are stored at, blind indexes for lookups, and the hashes of tokens and codes.
 */
package dev.custodian.core.crypto;
