/**
 * The signed-in account's routes: its profile (read and corrected) and the privacy requests it
 * makes without an emailed code.
 */
package dev.custodian.privacy.account;
