/**
 * Lambda's runtime, locally: the template's functions and roles read as SAM builds them ({@code
 * FunctionCatalog}, {@code RoleCatalog}), and each served function run in containers of its own
 * class loader over its packaged jar, with a Lambda context, cold starts and a concurrency limit
 * ({@code FunctionHost}, {@code ServedFunctions}).
 */
package dev.custodian.local.runtime;
