/**
 * The one HTTP edge of every route: the request as read from API Gateway, the answer, and the error
 * contract (each error code with its status, one place).
 */
package dev.custodian.core.http;
