package org.entente.node.store;

/**
 * A value an object mentions, as analysts search for it: kind (the STIX type and path, e.g.
 * {@code ipv4-addr}, {@code file:hashes.SHA-256}) and the normalised value; {@code net} is set for
 * addresses and CIDR blocks so that containment can be searched.
 */
public record Observable(String kind, String value, String net) {}
