/** The one configured JSON mapper. */
package dev.custodian.core.json;
