-- Whether the sharing policy must read an object's JSON to decide it (TLP:RED names its recipients
-- inside; granular markings are applied property by property): decided by the policy when the
-- object is admitted, so that the store need not know how the policy packs its facts.
ALTER TABLE stix_object ADD COLUMN needs_json boolean NOT NULL DEFAULT false;
-- Rows stored before: facts unknown (null), TLP:RED (bits 0-2 = 5) or granular markings (bit 12),
-- as org.entente.node.policy.ObjectFacts packed them when they were stored.
UPDATE stix_object SET needs_json = true
 WHERE policy_facts IS NULL OR policy_facts & 7 = 5 OR policy_facts & 4096 <> 0;

-- The policy facts of the latest version of the same object in the same collection, on every
-- version: a producer who marks a later version more restrictively restricts the earlier ones too
-- (docs/POLICY.md, "Versions"). Kept by the store whenever the latest version changes.
ALTER TABLE stix_object ADD COLUMN latest_facts integer;
UPDATE stix_object o SET latest_facts = l.policy_facts
  FROM stix_object l
 WHERE l.collection_no = o.collection_no AND l.id = o.id AND l.is_latest AND NOT o.is_latest;
UPDATE stix_object SET latest_facts = policy_facts WHERE is_latest;
