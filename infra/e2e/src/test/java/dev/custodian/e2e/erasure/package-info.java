/**
 * Erasure end to end: a person who ordered, browsed and wrote in asks to be erased (or for their
 * data, or for a restriction) through the privacy routes, and the erasure and export workers act on
 * it; the tests read the raw tables, queues and logs afterwards.
 */
package dev.custodian.e2e.erasure;
