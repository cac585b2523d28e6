package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.entente.stix.Json.obj;

import org.junit.jupiter.api.Test;

class ScoIdsTest {

    @Test
    void matchesTheSpecificationsExampleIdentifiers() {
        // STIX 2.1 (errata 01) examples of deterministic identifiers.
        assertThat(ScoIds.compute(obj("{'type':'domain-name','value':'example.com'}")))
                .isEqualTo("domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
        assertThat(ScoIds.compute(obj("{'type':'ipv4-addr','value':'198.51.100.3'}")))
                .isEqualTo("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
    }

    @Test
    void onlyIdContributingPropertiesCountAndTheirOrderDoesNot() {
        String a = ScoIds.compute(obj("{'type':'domain-name','value':'example.com','spec_version':'2.1',"
                + "'resolves_to_refs':['ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'],'x_note':'ignored'}"));
        assertThat(a).isEqualTo("domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
        // Values below were computed independently with Python's uuid.uuid5 over the canonical JSON.
        assertThat(ScoIds.compute(obj("{'type':'network-traffic','protocols':['ipv4','tcp'],'dst_port':443,"
                + "'dst_ref':'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4','dst_byte_count':12}")))
                .isEqualTo("network-traffic--8f6360b2-5dca-5b52-9c76-61c88274cba7");
        assertThat(ScoIds.compute(obj("{'type':'autonomous-system','number':15139,'name':'Slime Industries'}")))
                .isEqualTo("autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff");
    }

    @Test
    void usesOneHashChosenInTheSpecificationsPreferenceOrder() {
        String withBoth = ScoIds.compute(obj("{'type':'file','name':'foo.dll','hashes':{"
                + "'SHA-256':'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f',"
                + "'MD5':'3773a88f65a5e780c8dff9cdc3a056f3'},'size':25536}"));
        assertThat(withBoth).isEqualTo("file--eb5628d4-0b29-5e91-93be-091797a81285");
        String md5Only = ScoIds.compute(obj("{'type':'file','name':'foo.dll','hashes':{'MD5':'3773a88f65a5e780c8dff9cdc3a056f3'}}"));
        assertThat(md5Only).isEqualTo(withBoth);
    }

    @Test
    void canonicalFormKeepsNonAsciiTextAsUtf8() {
        assertThat(ScoIds.compute(obj("{'type':'email-message','is_multipart':false,'subject':'Ünïcode','body':'Hé',"
                + "'from_ref':'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934'}")))
                .isEqualTo("email-message--eccb10bb-78d2-5e21-8818-342a45f6abc7");
    }

    @Test
    void withoutIdContributingPropertiesAFreshUuid4IsGiven() {
        var process = obj("{'type':'process','pid':4}");
        assertThat(ScoIds.deterministic(process)).isEmpty();
        String a = ScoIds.compute(process), b = ScoIds.compute(process);
        assertThat(a).startsWith("process--").isNotEqualTo(b);
        assertThat(a.charAt("process--".length() + 14)).isEqualTo('4');
    }

    @Test
    void refusesWhatIsNotAnSco() {
        assertThatThrownBy(() -> ScoIds.compute(obj("{'type':'indicator'}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a STIX 2.1 cyber-observable");
    }

    @Test
    void numbersAreCanonicalisedTheEcmaScriptWay() {
        assertThat(Jcs.ecmaScript(1e21)).isEqualTo("1e+21");
        assertThat(Jcs.ecmaScript(1e20)).isEqualTo("100000000000000000000");
        assertThat(Jcs.ecmaScript(0.000001)).isEqualTo("0.000001");
        assertThat(Jcs.ecmaScript(1e-7)).isEqualTo("1e-7");
        assertThat(Jcs.ecmaScript(-1.5)).isEqualTo("-1.5");
        assertThat(Jcs.ecmaScript(123.456)).isEqualTo("123.456");
        assertThat(StixJson.canonical(obj("{'b':[1.0,'\\u0001'],'a':{'z':true,'y':null}}")))
                .isEqualTo("{\"a\":{\"y\":null,\"z\":true},\"b\":[1,\"\\u0001\"]}");
    }
}
