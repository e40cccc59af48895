/**
 * What the shop keeps, why and for how long: the data classes with their retention periods, legal
 * bases and processing, and the expiry each stored item gets.
 */
package dev.custodian.core.retention;
