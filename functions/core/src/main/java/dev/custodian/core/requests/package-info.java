/**
 * The layout of the items a data-subject request keeps next to its own record in the requests
 * table: the sealed email, kept apart so that it can expire long before the request does.
 */
package dev.custodian.core.requests;
