package org.entente.stix;

import java.util.List;
import java.util.Map;

/**
 * The description of one STIX 2.1 type: its category, every property it defines (common ones included)
 * with the kind of value, the required ones, and for SCOs the ID-contributing properties in spec order.
 */
record TypeDef(String name, Category category, Map<String, Kind> properties, List<String> required,
               List<String> idContributing) {}
