/**
 * The SAM template as the local cloud reads it: YAML with CloudFormation's short intrinsic forms
 * ({@code CfnYaml}), parameters and conditions evaluated, and intrinsic functions resolved against
 * the provisioned resources ({@code Template}).
 */
package dev.custodian.local.template;
