/**
 * DynamoDB mechanics every table shares: batched reads and writes with retries of unprocessed
 * items, whole partitions, windowed counters and the reasons of a cancelled transaction.
 */
package dev.custodian.core.dynamo;
