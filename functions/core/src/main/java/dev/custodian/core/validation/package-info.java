/**
 * What routes accept: closed JSON objects of typed, bounded values, read from the body with one set
 * of problems answered as a 400; each schema describes itself so that the OpenAPI document can be
 * held to it.
 */
package dev.custodian.core.validation;
