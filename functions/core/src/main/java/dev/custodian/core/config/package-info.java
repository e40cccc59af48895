/**
 * A function's environment variables, read once into the configuration shared by every function.
 */
package dev.custodian.core.config;
