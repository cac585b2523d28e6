package org.entente.node.partners;

import java.time.Instant;

/**
 * An agency known to this node: its own, or a partner.
 *
 * @param id a STIX identity id ({@code identity--UUID}), the same the organisation's objects carry in created_by_ref
 * @param nation ISO 3166-1 alpha-2
 */
public record Organisation(String id, String name, String nation, Sector sector, String contactPoint, boolean own,
        Instant created) {}
