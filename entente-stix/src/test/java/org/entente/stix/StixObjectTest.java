package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StixObjectTest {

    static final String SIGHTING = "{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"sighting--ee20065d-2555-424f-ad9e-0f8428623c75\","
            + "\"created\":\"2016-04-06T20:08:31.000Z\",\"modified\":\"2016-04-06T20:08:31.000Z\","
            + "\"sighting_of_ref\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
            + "\"where_sighted_refs\":[\"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff\"],"
            + "\"x_acme\":{\"score\":0.50,\"tags\":[\"a\",\"b\"]},"
            + "\"extensions\":{\"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e\":{\"extension_type\":\"property-extension\",\"k\":1}}}";

    @Test
    void typedAccessors() {
        StixObject s = StixObject.parse(SIGHTING);
        assertThat(s.type()).isEqualTo("sighting");
        assertThat(s.id()).contains("sighting--ee20065d-2555-424f-ad9e-0f8428623c75");
        assertThat(s.category()).contains(Category.SRO);
        assertThat(s.created()).contains(Instant.parse("2016-04-06T20:08:31Z"));
        assertThat(s.references()).containsExactly("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff");
        assertThat(s.strings("where_sighted_refs")).hasSize(1);
        assertThat(s.timestamp("x_acme")).isEmpty();
        assertThat(s.validate()).isEmpty();
    }

    @Test
    void customPropertiesAndExtensionsRoundTripUnchanged() {
        StixObject s = StixObject.parse(SIGHTING);
        assertThat(s.toJson()).isEqualTo(SIGHTING);
        assertThat(StixObject.parse(s.toJson())).isEqualTo(s);
    }

    @Test
    void isImmutable() throws Exception {
        ObjectNode source = (ObjectNode) StixJson.mapper().readTree(SIGHTING);
        StixObject s = StixObject.of(source);
        source.put("x_acme", "changed");
        s.json().put("type", "changed");
        assertThat(s.toJson()).isEqualTo(SIGHTING);
    }

    @Test
    void refusesWhatIsNotAnObjectWithAType() {
        assertThatThrownBy(() -> StixObject.parse("[1]")).isInstanceOf(StixFormatException.class);
        assertThatThrownBy(() -> StixObject.parse("{\"type\":1}")).isInstanceOf(StixFormatException.class);
        assertThatThrownBy(() -> StixObject.parse("{\"type\":")).isInstanceOf(StixFormatException.class)
                .hasMessageContaining("malformed JSON");
    }
}
