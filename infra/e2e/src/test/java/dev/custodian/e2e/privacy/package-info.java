/**
 * The privacy function's routes over data the other functions hold: requests, exports, accounts,
 * lawful disclosures, policy stamps and expiry, for people who ordered, browsed and wrote in.
 */
package dev.custodian.e2e.privacy;
