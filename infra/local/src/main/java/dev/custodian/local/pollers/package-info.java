/**
 * What AWS runs in the background of the functions, which the emulators do not: Lambda's SQS and
 * DynamoDB stream event source mappings ({@code EventSources}), DynamoDB's TTL deletion ({@code
 * TtlSweeper}), and the SES outbox read back from the emulator ({@code Outbox}).
 */
package dev.custodian.local.pollers;
