/**
 * Structured JSON logs and metrics in the embedded metric format; messages are constants, values
 * are parameters, never personal data.
 */
package dev.custodian.core.log;
