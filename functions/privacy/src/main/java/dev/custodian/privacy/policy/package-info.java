/**
 * The privacy policy's versions: the text in force and its history (public), and publishing a new
 * version (operators).
 */
package dev.custodian.privacy.policy;
