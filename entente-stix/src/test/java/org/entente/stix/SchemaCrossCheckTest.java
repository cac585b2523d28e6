package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Uses the OASIS JSON schemas as an independent oracle: whatever mutation of an example object the
 * schema rejects, our validator must reject too (report at least one ERROR). The reverse is not
 * required, since our checks go beyond what a schema can say.
 */
class SchemaCrossCheckTest {

    static final String BASE = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";
    static JsonSchemaFactory factory;
    static final Map<String, JsonSchema> schemas = new HashMap<>();
    static List<ObjectNode> examples;

    @BeforeAll
    static void load() throws IOException {
        factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:oasis-schemas/")));
        examples = new ArrayList<>();
        for (String name : OasisExamplesTest.examples().toList()) {
            for (StixReader.Item item : OasisExamplesTest.readAll(OasisExamplesTest.resource(name))) examples.add(item.json());
        }
        examples.addAll(extraExamples());
    }

    /** Types the OASIS examples lack, so that every schema gets exercised. */
    static List<ObjectNode> extraExamples() {
        String common = "'spec_version':'2.1','created':'2020-01-01T00:00:00.000Z','modified':'2020-01-01T00:00:00.000Z'";
        return List.of(
                Json.obj("{'type':'note'," + common + ",'id':'note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061','content':'x','authors':['a'],"
                        + "'object_refs':['campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061']}"),
                Json.obj("{'type':'opinion'," + common + ",'id':'opinion--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061','opinion':'agree',"
                        + "'explanation':'x','object_refs':['campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061']}"),
                Json.obj("{'type':'grouping'," + common + ",'id':'grouping--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061','context':'unspecified',"
                        + "'name':'g','object_refs':['campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061']}"),
                Json.obj("{'type':'location'," + common + ",'id':'location--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061','latitude':48.8,"
                        + "'longitude':2.3,'precision':100.0}"),
                Json.obj("{'type':'observed-data'," + common + ",'id':'observed-data--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'first_observed':'2020-01-01T00:00:00Z','last_observed':'2020-01-01T00:00:00Z','number_observed':3,"
                        + "'object_refs':['ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4']}"),
                Json.obj("{'type':'sighting'," + common + ",'id':'sighting--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061','count':2,"
                        + "'sighting_of_ref':'indicator--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'where_sighted_refs':['identity--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'],'first_seen':'2020-01-01T00:00:00Z'}"),
                Json.obj("{'type':'malware-analysis'," + common + ",'id':'malware-analysis--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'product':'av','result':'malicious','sample_ref':'file--eb5628d4-0b29-5e91-93be-091797a81285'}"),
                Json.obj("{'type':'language-content'," + common + ",'id':'language-content--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'object_ref':'campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061','object_modified':'2020-01-01T00:00:00.000Z',"
                        + "'contents':{'de':{'name':'Kampagne'}}}"),
                Json.obj("{'type':'extension-definition'," + common + ",'id':'extension-definition--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'created_by_ref':'identity--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061','name':'e','schema':'https://example.com/s',"
                        + "'version':'1.0','extension_types':['property-extension']}"),
                Json.obj("{'type':'file','spec_version':'2.1','id':'file--eb5628d4-0b29-5e91-93be-091797a81285','name':'foo.dll',"
                        + "'size':25536,'hashes':{'MD5':'3773a88f65a5e780c8dff9cdc3a056f3'}}"),
                Json.obj("{'type':'network-traffic','spec_version':'2.1','id':'network-traffic--8f6360b2-5dca-5b52-9c76-61c88274cba7',"
                        + "'dst_ref':'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4','dst_port':443,'protocols':['ipv4','tcp']}"),
                Json.obj("{'type':'email-message','spec_version':'2.1','id':'email-message--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'is_multipart':false,'subject':'hi','body':'text','from_ref':'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934'}"),
                Json.obj("{'type':'artifact','spec_version':'2.1','id':'artifact--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'mime_type':'text/plain','payload_bin':'aGVsbG8='}"),
                Json.obj("{'type':'autonomous-system','spec_version':'2.1','id':'autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff',"
                        + "'number':15139,'name':'Slime Industries'}"),
                Json.obj("{'type':'user-account','spec_version':'2.1','id':'user-account--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'user_id':'1001','account_login':'jdoe','account_type':'unix','is_privileged':false}"),
                Json.obj("{'type':'x509-certificate','spec_version':'2.1','id':'x509-certificate--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                        + "'issuer':'CN=x','serial_number':'36:f7','validity_not_before':'2016-03-12T12:00:00Z'}"));
    }

    static JsonSchema schemaFor(String type) {
        return schemas.computeIfAbsent(type, t -> {
            String folder = StixTypes.isSdo(t) ? "sdos/" : StixTypes.isSro(t) ? "sros/" : StixTypes.isSco(t) ? "observables/" : "common/";
            return factory.getSchema(SchemaLocation.of(BASE + folder + t + ".json"));
        });
    }

    static Set<ValidationMessage> schemaProblems(JsonNode o) {
        return schemaFor(o.get("type").asText()).validate(o);
    }

    static boolean ourErrors(JsonNode o) {
        return !StixValidator.standard().isValid(o);
    }

    /**
     * Where the schema enforces what the specification only recommends (SHOULD), we warn instead:
     * mime_type "SHOULD be" an IANA media type.
     */
    static boolean deliberateWarning(JsonNode mutated, String property) {
        return property.equals("mime_type") && StixValidator.standard().validate(mutated).stream()
                .anyMatch(p -> p.severity() == Severity.WARNING && p.pointer().equals("/mime_type"));
    }

    @Test
    void theSchemasAcceptEveryExampleAndSoDoWe() {
        for (ObjectNode o : examples) {
            assertThat(schemaProblems(o)).as("schema on %s", o.get("id")).isEmpty();
            assertThat(StixValidator.standard().validate(o)).as("%s", o.get("id")).filteredOn(Problem::isError).isEmpty();
        }
    }

    @Test
    void whateverRemovalTheSchemaRejectsWeRejectToo() {
        List<String> misses = new ArrayList<>();
        int rejected = 0;
        for (ObjectNode o : examples) {
            Iterator<String> names = o.fieldNames();
            List<String> props = new ArrayList<>();
            names.forEachRemaining(props::add);
            for (String p : props) {
                ObjectNode m = o.deepCopy();
                m.remove(p);
                if (!m.has("type")) continue;
                if (!schemaProblems(m).isEmpty()) {
                    rejected++;
                    if (!ourErrors(m)) misses.add(o.get("type").asText() + " without " + p + ": " + schemaProblems(m));
                }
            }
        }
        assertThat(rejected).isGreaterThan(500);
        assertThat(misses).isEmpty();
    }

    @Test
    void whateverWrongValueTheSchemaRejectsWeRejectToo() {
        List<JsonNode> wrongValues = List.of(Json.obj("{'v':12345}").get("v"), Json.obj("{'v':'text'}").get("v"),
                Json.obj("{'v':[]}").get("v"), Json.obj("{'v':{}}").get("v"), Json.obj("{'v':true}").get("v"),
                Json.obj("{'v':-1.5}").get("v"), Json.obj("{'v':['text']}").get("v"));
        List<String> misses = new ArrayList<>();
        int rejected = 0;
        for (ObjectNode o : examples) {
            List<String> props = new ArrayList<>();
            o.fieldNames().forEachRemaining(props::add);
            for (String p : props) {
                if (p.equals("type")) continue;
                for (JsonNode wrong : wrongValues) {
                    ObjectNode m = o.deepCopy();
                    m.set(p, wrong);
                    if (!schemaProblems(m).isEmpty()) {
                        rejected++;
                        if (!ourErrors(m) && !deliberateWarning(m, p)) misses.add(o.get("type").asText() + "." + p + " = " + wrong + ": " + schemaProblems(m));
                    }
                }
            }
        }
        assertThat(rejected).isGreaterThan(2000);
        assertThat(misses).isEmpty();
    }
}
