/**
 * The AWS emulator the local cloud runs on: which one (moto by default, LocalStack or an external
 * endpoint, {@code CloudSelection}), moto's process and its launcher script, the SDK clients that
 * talk to it ({@code Emulator}), and the proxy every function's call passes through, which checks
 * it against the function's role, counts and times it, and can fail it ({@code EmulatorProxy}).
 */
package dev.custodian.local.emulator;
