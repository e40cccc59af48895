/**
 * The contact function: a message to support, stored sealed and acknowledged by email, read by an
 * operator for support only (audited).
 */
package dev.custodian.contact;
