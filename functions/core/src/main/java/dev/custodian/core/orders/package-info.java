/**
 * The orders table's layout, owned here alone: its keys, attribute names, the addresses its values
 * are sealed at and the order statuses with their transitions ({@link
 * dev.custodian.core.orders.OrderItems}, {@link dev.custodian.core.orders.OrderUpdates}, {@link
 * dev.custodian.core.orders.OrderStatus}). The order functions, the notifier, the privacy function
 * and the erasure worker read and write orders through typed records from here, never by attribute
 * name.
 */
package dev.custodian.core.orders;
