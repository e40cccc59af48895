/** SnapStart priming: the hot path a function runs once before its snapshot. */
package dev.custodian.core.snapstart;
