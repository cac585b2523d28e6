/**
 * STIX 2.1: streaming reading ({@link org.entente.stix.StixReader}) and writing ({@link org.entente.stix.StixWriter})
 * of bundles and objects of any size, an immutable object wrapper ({@link org.entente.stix.StixObject}), a
 * table-driven validator ({@link org.entente.stix.StixValidator}) that reports every problem with a JSON pointer,
 * deterministic SCO identifiers ({@link org.entente.stix.ScoIds}) and the standard TLP markings
 * ({@link org.entente.stix.Tlp}). Objects stay generic JSON trees, so custom properties and extensions survive
 * a round trip unchanged.
 */
package org.entente.stix;
