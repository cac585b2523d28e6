package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StixTypesTest {

    @Test
    void categoriesOfEveryStix21Type() {
        for (String sdo : new String[] {"attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident",
                "indicator", "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note",
                "observed-data", "opinion", "report", "threat-actor", "tool", "vulnerability"}) {
            assertThat(StixTypes.isSdo(sdo)).as(sdo).isTrue();
        }
        for (String sco : new String[] {"artifact", "autonomous-system", "directory", "domain-name", "email-addr",
                "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process",
                "software", "url", "user-account", "windows-registry-key", "x509-certificate"}) {
            assertThat(StixTypes.isSco(sco)).as(sco).isTrue();
        }
        assertThat(StixTypes.isSro("relationship")).isTrue();
        assertThat(StixTypes.isSro("sighting")).isTrue();
        for (String meta : new String[] {"marking-definition", "language-content", "extension-definition"}) {
            assertThat(StixTypes.category(meta)).as(meta).contains(Category.META);
        }
        assertThat(StixTypes.category("bundle")).contains(Category.BUNDLE);
        assertThat(StixTypes.isKnown("x-acme-widget")).isFalse();
        assertThat(StixTypes.isSdo(null)).isFalse();
    }

    @Test
    void idContributingPropertiesFollowTheSpecification() {
        assertThat(StixTypes.idContributingProperties("file")).containsExactly("hashes", "name", "extensions", "parent_directory_ref");
        assertThat(StixTypes.idContributingProperties("email-message")).containsExactly("from_ref", "subject", "body");
        assertThat(StixTypes.idContributingProperties("process")).isEmpty();
        assertThat(StixTypes.idContributingProperties("indicator")).isEmpty();
    }
}
