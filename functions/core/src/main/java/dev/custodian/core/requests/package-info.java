/**
 * The layout of the requests table: a data-subject request's own item ({@code PrivacyRequestItems},
 * read as {@code PrivacyRequest}, its {@code RequestStatus} and {@code RequestType}, moved by a
 * {@code StatusChange}) and the items it keeps next to it, such as the sealed email, kept apart so
 * that it can expire long before the request does ({@code RequestEmails}). The privacy function and
 * the erasure worker go through it.
 */
package dev.custodian.core.requests;
