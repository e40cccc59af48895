/**
 * Email requests put on the notifier's queue: references only, never an address or personal
 * content.
 */
package dev.custodian.core.notify;
