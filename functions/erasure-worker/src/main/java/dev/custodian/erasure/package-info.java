/**
 * The erasure worker: erases one data subject per queue message, by job — the request's lease
 * ({@code ErasureLease}), what the person has where ({@code SubjectFootprint}, {@code
 * SubjectItems}), the plan recorded before anything is deleted ({@code ErasurePlan}), the
 * restriction of the transaction records kept for tax ({@code TransactionRestriction}), the report
 * that completes the request ({@code ErasureReport}), and the tombstones re-applied after a restore
 * ({@code Tombstones}); {@code Erasure} runs them in order.
 */
package dev.custodian.erasure;
