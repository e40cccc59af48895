/**
 * The notifier: the one function that opens email addresses, to send the emails other functions ask
 * for through its queue (and policy-change notices), each recorded as a disclosure to the email
 * provider.
 */
package dev.custodian.notifier;
