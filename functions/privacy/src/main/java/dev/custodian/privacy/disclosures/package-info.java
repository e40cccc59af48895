/**
 * Lawful disclosures (docs/privacy.md#processors): an authority's request recorded with its legal
 * basis, reference and exact scope; a package holding that scope only, sealed under the person's
 * key; a second operator's approval before anyone can read it; and the disclosure in the person's
 * export once any legal non-disclosure period is over.
 */
package dev.custodian.privacy.disclosures;
