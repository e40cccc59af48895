/** Bounded, expiring memory of one container: unwrapped subject keys and recently seen subjects. */
package dev.custodian.core.cache;
