/**
 * IAM as AWS applies it to a function's calls: roles read from the template, a policy evaluator
 * (default deny, explicit deny wins, wildcards, conditions), the reading of an AWS call into the
 * actions and resources AWS authorizes it as, and the record of what each role was granted and
 * used.
 */
package dev.custodian.local.iam;
