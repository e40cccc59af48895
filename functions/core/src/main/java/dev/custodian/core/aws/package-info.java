/**
 * How the functions talk to AWS: the SDK clients, built once per container, and the signed JSON
 * calls that replace a whole service client on a request path.
 */
package dev.custodian.core.aws;
