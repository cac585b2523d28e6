package org.entente.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservablesTest {
    static List<Observable> ofPattern(String pattern) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("type", "indicator");
        o.put("pattern_type", "stix");
        o.put("pattern", pattern);
        org.entente.pattern.Pattern parsed;
        try {
            parsed = org.entente.pattern.Pattern.parse(pattern);
        } catch (org.entente.pattern.PatternException e) {
            parsed = null;
        }
        return Observables.extract(o, parsed);
    }

    @Test
    void simpleEqualitiesAreIndexedWithNormalisedValues() {
        assertThat(ofPattern("[ipv4-addr:value = '198.51.100.0/24']"))
                .containsExactly(new Observable("ipv4-addr", "198.51.100.0/24", "198.51.100.0/24"));
        assertThat(ofPattern("[ipv4-addr:value = '198.51.100.9']"))
                .containsExactly(new Observable("ipv4-addr", "198.51.100.9", "198.51.100.9/32"));
        assertThat(ofPattern("[domain-name:value = 'Evil.Example'] OR [email-addr:value = 'A@B.example' OR url:value = 'http://X/']"))
                .containsExactly(new Observable("domain-name", "evil.example", null),
                        new Observable("email-addr", "a@b.example", null), new Observable("url", "http://X/", null));
        assertThat(ofPattern("[file:hashes.'SHA-256' = 'ABCD'] OR [file:hashes.MD5 = 'EF01']"))
                .containsExactly(new Observable("file:hashes.SHA-256", "abcd", null),
                        new Observable("file:hashes.MD5", "ef01", null));
        assertThat(ofPattern("[file:name = 'it\\'s.exe']")).containsExactly(new Observable("file:name", "it's.exe", null));
    }

    @Test
    void anythingBeyondEqualityIsLeftToTheDetectionEngine() {
        assertThat(ofPattern("[ipv4-addr:value = '10.0.0.1' AND network-traffic:dst_port = 443]")).isEmpty();
        assertThat(ofPattern("[ipv4-addr:value ISSUBSET '10.0.0.0/8']")).isEmpty();
        assertThat(ofPattern("[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']")).isEmpty();
        assertThat(ofPattern("[domain-name:value = 'a.example'] WITHIN 10 SECONDS")).isEmpty();
        assertThat(ofPattern("[domain-name:value = 'unterminated]")).isEmpty();
        assertThat(ofPattern("")).isEmpty();
    }

    @Test
    void addressesAreCanonicalCidrBlocks() {
        assertThat(Observables.canonicalNet("10.1.2.3/8")).isEqualTo("10.0.0.0/8");
        assertThat(Observables.canonicalNet("2001:db8::1")).isEqualTo("2001:db8:0:0:0:0:0:1/128");
        assertThat(Observables.canonicalNet("example.com")).isNull();
        assertThat(Observables.canonicalNet("10.1.2.3/33")).isNull();
        assertThat(Observables.canonicalNet("1.2.3")).isNull();
    }
}
