package org.entente.stix;

/** How serious a validation problem is: an ERROR breaks a MUST of STIX 2.1, a WARNING a SHOULD or an open vocabulary. */
public enum Severity { ERROR, WARNING }
