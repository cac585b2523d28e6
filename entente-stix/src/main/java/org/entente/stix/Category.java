package org.entente.stix;

/** The kinds of top-level STIX 2.1 objects, which decide their common properties. */
public enum Category {
    /** STIX Domain Object. */
    SDO,
    /** STIX Relationship Object. */
    SRO,
    /** STIX Cyber-observable Object. */
    SCO,
    /** STIX Meta Object: marking-definition, language-content, extension-definition. */
    META,
    BUNDLE
}
