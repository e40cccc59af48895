/**
 * API Gateway's HTTP API, locally (payload format 2.0): route matching, JWT and IAM authorizers
 * with a local token issuer, CORS, the event a function receives and the answer made of its result,
 * and the website kit served for paths no route takes.
 */
package dev.custodian.local.gateway;
