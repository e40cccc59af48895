/**
 * The shared library of every function (not a function itself): {@link
 * dev.custodian.core.PrivacyCore} builds, once per container, what a handler needs from the
 * packages below it.
 */
package dev.custodian.core;
