/**
 * The order functions: placing an order priced from the catalogue ({@link
 * dev.custodian.orders.OrderPlacement}), reading it with its token or as its account ({@link
 * dev.custodian.orders.OrderAccess}, {@link dev.custodian.orders.OrderViews}), operators' status
 * changes and the carrier's view, and the payment provider's signed events ({@link
 * dev.custodian.orders.PaymentService}). The orders table's layout is not here: it belongs to
 * {@code dev.custodian.core.orders.OrderItems}, which every module reading orders goes through.
 * Every handler is wired the same way ({@link dev.custodian.orders.OrdersWiring} from {@link
 * dev.custodian.orders.OrdersConfig}).
 */
package dev.custodian.orders;
