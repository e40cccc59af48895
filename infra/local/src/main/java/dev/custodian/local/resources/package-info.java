/**
 * The template's resources on the emulator: tables, queues, KMS keys and aliases and SES identities
 * created in the order their references need, placeholders for what the emulator does not host, the
 * answers to {@code Ref} and {@code GetAtt}, and their names and ARNs for IAM.
 */
package dev.custodian.local.resources;
