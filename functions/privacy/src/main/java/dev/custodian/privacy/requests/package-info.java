/**
 * Data-subject requests: intake by email or account ({@link
 * dev.custodian.privacy.requests.RequestIntake}), the one-time code ({@link
 * dev.custodian.privacy.requests.CodeVerification}, {@link
 * dev.custodian.privacy.requests.GuessLimit}), one processor per request type ({@link
 * dev.custodian.privacy.requests.RequestProcessing}), the export prepared off the request path
 * ({@link dev.custodian.privacy.requests.ExportWorker}, sealed and paged by {@link
 * dev.custodian.privacy.requests.ExportStore}), operators' list, extensions and denials, and the
 * deadlines. The requests table's layout and status machine are not here: they belong to {@code
 * dev.custodian.core.requests.PrivacyRequestItems} and {@code RequestStatus}.
 */
package dev.custodian.privacy.requests;
