/**
 * The data subjects: finding or creating the person behind an email or an account through blind
 * indexes.
 */
package dev.custodian.core.subjects;
