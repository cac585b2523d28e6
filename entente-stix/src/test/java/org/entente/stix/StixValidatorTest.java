package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.entente.stix.Json.obj;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class StixValidatorTest {

    static final String INDICATOR = "{'type':'indicator','spec_version':'2.1',"
            + "'id':'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',"
            + "'created_by_ref':'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff',"
            + "'created':'2016-04-06T20:03:48.000Z','modified':'2016-04-06T20:03:48.000Z',"
            + "'indicator_types':['malicious-activity'],'name':'Poison Ivy Malware',"
            + "'pattern':'PATTERN',"
            + "'pattern_type':'stix','valid_from':'2016-01-01T00:00:00Z'}";

    final StixValidator validator = StixValidator.standard();

    static ObjectNode indicator() {
        ObjectNode o = obj(INDICATOR);
        o.put("pattern", "[file:hashes.'SHA-256' = '4bac27393bdd9777ce02453256c5577cd02275510b2227f473d03f533924f877']");
        return o;
    }

    List<Problem> problems(ObjectNode o) {
        return validator.validate(o);
    }

    void assertSingle(ObjectNode o, Severity severity, String pointer, String reason) {
        assertThat(problems(o)).extracting(Problem::severity, Problem::pointer).containsExactly(tuple(severity, pointer));
        assertThat(problems(o).get(0).message()).contains(reason);
    }

    @Test
    void aCorrectIndicatorHasNoProblems() {
        assertThat(problems(indicator())).isEmpty();
        assertThat(validator.isValid(indicator())).isTrue();
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        ObjectNode o = indicator();
        o.put("id", "indicator--nope");
        o.put("confidence", 101);
        o.remove("pattern");
        o.put("valid_from", "yesterday");
        assertThat(problems(o)).extracting(Problem::pointer)
                .containsExactlyInAnyOrder("/id", "/confidence", "/pattern", "/valid_from");
        assertThat(problems(o)).allMatch(Problem::isError);
    }

    @Nested
    class Identifiers {
        @Test
        void mustBeTypeDashDashUuid() {
            ObjectNode o = indicator();
            o.put("id", "indicator--8e2e2d2b-17d4-4cbf-938f");
            assertSingle(o, Severity.ERROR, "/id", "36-character UUID");
        }

        @Test
        void uuidMustBeRfc4122() {
            ObjectNode o = indicator();
            o.put("id", "indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f");
            assertSingle(o, Severity.ERROR, "/id", "not an RFC 4122 UUID");
            o.put("id", "indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f");
            assertSingle(o, Severity.ERROR, "/id", "variant");
        }

        @Test
        void mustNameTheObjectsOwnType() {
            ObjectNode o = indicator();
            o.put("id", "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
            assertSingle(o, Severity.ERROR, "/id", "must start with the object's type 'indicator--'");
        }

        @Test
        void scoWithAWrongUuid5IsWarnedWithTheExpectedId() {
            ObjectNode o = obj("{'type':'domain-name','id':'domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7','value':'example.org'}");
            assertSingle(o, Severity.WARNING, "/id", "domain-name--");
            o.put("value", "example.com");
            assertThat(problems(o)).isEmpty();
        }

        @Test
        void scoWithAUuid4IsAccepted() {
            assertThat(problems(obj("{'type':'ipv4-addr','id':'ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956','value':'198.51.100.3'}")))
                    .isEmpty();
        }
    }

    @Nested
    class RequiredProperties {
        @Test
        void sdoCommonAndSpecificProperties() {
            ObjectNode o = indicator();
            o.remove("created");
            o.remove("pattern_type");
            assertThat(problems(o)).extracting(Problem::severity, Problem::pointer).containsExactlyInAnyOrder(
                    tuple(Severity.ERROR, "/created"), tuple(Severity.ERROR, "/pattern_type"));
            assertThat(problems(o)).allMatch(p -> p.message().startsWith("required property"));
        }

        @Test
        void scoNeedsIdButNotSpecVersion() {
            assertSingle(obj("{'type':'url','value':'http://x.example/'}"), Severity.ERROR, "/id", "required property id");
        }

        @Test
        void typeIsRequired() {
            assertThat(problems(obj("{'id':'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'}")))
                    .extracting(Problem::pointer).contains("/type");
        }

        @Test
        void relationshipAndSighting() {
            assertThat(problems(obj("{'type':'relationship','spec_version':'2.1','id':'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad',"
                    + "'created':'2016-04-06T20:06:37.000Z','modified':'2016-04-06T20:06:37.000Z','relationship_type':'indicates'}")))
                    .extracting(Problem::pointer).containsExactlyInAnyOrder("/source_ref", "/target_ref");
        }

        @Test
        void malwareFamilyNeedsAName() {
            ObjectNode m = obj("{'type':'malware','spec_version':'2.1','id':'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',"
                    + "'created':'2016-04-06T20:07:09.000Z','modified':'2016-04-06T20:07:09.000Z','is_family':true}");
            assertSingle(m, Severity.ERROR, "/name", "must have a name");
        }
    }

    @Nested
    class Timestamps {
        @Test
        void mustBeUtcWithZ() {
            ObjectNode o = indicator();
            o.put("valid_from", "2016-01-01T00:00:00+01:00");
            assertSingle(o, Severity.ERROR, "/valid_from", "must be in UTC");
        }

        @Test
        void yearsOutsideWhatTheStoreCanHoldAreErrors() {
            // year 0000 is a valid RFC 3339 year but not one PostgreSQL's timestamptz can hold
            for (String property : List.of("created", "modified", "valid_from", "valid_until")) {
                ObjectNode o = indicator();
                o.put(property, "0000-06-01T00:00:00.000Z");
                assertThat(problems(o)).filteredOn(Problem::isError).extracting(Problem::pointer).contains("/" + property);
                assertThat(problems(o)).filteredOn(p -> p.pointer().equals("/" + property)).singleElement()
                        .satisfies(p -> assertThat(p.message()).contains("year 0000"));
            }
            // and far beyond PostgreSQL's last year, 294276: not four digits, not an RFC 3339 timestamp
            for (String ts : List.of("294277-01-01T00:00:00Z", "+294277-01-01T00:00:00Z", "10000-01-01T00:00:00Z",
                    "-0001-01-01T00:00:00Z")) {
                ObjectNode o = indicator();
                o.put("valid_until", ts);
                assertSingle(o, Severity.ERROR, "/valid_until", "is not an RFC 3339 timestamp");
            }
        }

        @Test
        void yearsOutsideTheStoresRangeAreFoundWhereverTimestampsAre() {
            ObjectNode file = obj("{'type':'file','spec_version':'2.1','id':'file--ec3415cc-5f4f-5ec8-bdb1-6f86996ae66d',"
                    + "'name':'a.exe','ctime':'0000-01-01T00:00:00Z','extensions':{'windows-pebinary-ext':"
                    + "{'pe_type':'exe','time_date_stamp':'0000-12-31T23:59:59Z'}}}");
            assertThat(problems(file)).filteredOn(Problem::isError).extracting(Problem::pointer)
                    .containsExactlyInAnyOrder("/ctime", "/extensions/windows-pebinary-ext/time_date_stamp");
            ObjectNode bundle = obj("{'type':'bundle','id':'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d','objects':[]}");
            bundle.withArray("objects").add(indicator());
            ObjectNode late = indicator();
            late.put("id", "indicator--1b1a2a7d-8f68-4b2c-9d1c-5ac1c1f4d6a1");
            late.put("modified", "0000-04-06T20:03:48.000Z");
            bundle.withArray("objects").add(late);
            assertThat(problems(bundle)).filteredOn(Problem::isError).extracting(Problem::pointer)
                    .containsExactly("/objects/1/modified");
        }

        @Test
        void yearOneIsStillValid() {
            ObjectNode o = indicator();
            o.put("created", "0001-01-01T00:00:00.000Z");
            o.put("modified", "0001-01-01T00:00:00.000Z");
            o.put("valid_from", "0001-01-01T00:00:00Z");
            o.put("valid_until", "0001-01-01T00:00:00.001Z");
            assertThat(problems(o)).isEmpty();
            o.put("valid_until", "9999-12-31T23:59:59.999999Z");
            assertThat(problems(o)).isEmpty();
        }

        @Test
        void mustBeACalendarDate() {
            ObjectNode o = indicator();
            o.put("valid_from", "2015-02-29T00:00:00Z");
            assertSingle(o, Severity.ERROR, "/valid_from", "day 29 out of range");
        }

        @Test
        void fractionalSecondsOfAnyPrecisionAreAccepted() {
            ObjectNode o = indicator();
            o.put("valid_from", "2016-01-01T00:00:00.123456789Z");
            assertThat(problems(o)).isEmpty();
        }

        @Test
        void createdShouldBeAtLeastMillisecondPrecise() {
            ObjectNode o = indicator();
            o.put("created", "2016-04-06T20:03:48Z");
            assertSingle(o, Severity.WARNING, "/created", "millisecond");
            o.put("created", "2016-04-06T20:03:47.999999Z");
            assertThat(problems(o)).isEmpty();
        }

        @Test
        void modifiedMayNotPrecedeCreated() {
            ObjectNode o = indicator();
            o.put("modified", "2016-04-06T20:03:47.999Z");
            assertSingle(o, Severity.ERROR, "/modified", "earlier than created");
            o.put("modified", "2016-04-06T20:03:48.0001Z");
            assertThat(problems(o)).isEmpty();
        }

        @Test
        void validUntilMustFollowValidFrom() {
            ObjectNode o = indicator();
            o.put("valid_until", "2016-01-01T00:00:00.000Z");
            assertSingle(o, Severity.ERROR, "/valid_until", "must be later than valid_from");
        }

        @Test
        void lastSeenMayNotPrecedeFirstSeen() {
            ObjectNode c = obj("{'type':'campaign','spec_version':'2.1','id':'campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                    + "'created':'2016-05-12T08:17:27.000Z','modified':'2016-05-12T08:17:27.000Z','name':'x',"
                    + "'first_seen':'2016-05-12T00:00:00Z','last_seen':'2016-05-11T00:00:00Z'}");
            assertSingle(c, Severity.ERROR, "/last_seen", "no earlier than first_seen");
        }
    }

    @Test
    void aPluggedPatternParserChecksStixPatternsOnly() {
        StixValidator strict = validator.withStixPatterns(p -> p.startsWith("[") ? Optional.empty() : Optional.of("expected '['"));
        ObjectNode o = indicator();
        assertThat(strict.validate(o)).isEmpty();
        o.put("pattern", "ipv4-addr:value = '1.2.3.4'");
        assertThat(strict.validate(o)).singleElement().satisfies(p -> {
            assertThat(p.pointer()).isEqualTo("/pattern");
            assertThat(p.message()).isEqualTo("is not a valid STIX pattern: expected '['");
        });
        assertThat(validator.validate(o)).isEmpty();
        o.put("pattern_type", "yara");
        assertThat(strict.validate(o)).isEmpty();
    }

    @Test
    void specVersionMustBe21() {
        ObjectNode o = indicator();
        o.put("spec_version", "2.0");
        assertSingle(o, Severity.ERROR, "/spec_version", "must be \"2.1\"");
        assertSingle(obj("{'type':'url','spec_version':'2.0','id':'url--c1477287-23ac-4971-a010-5c287877fa60','value':'http://x/'}"),
                Severity.ERROR, "/spec_version", "must be \"2.1\"");
    }

    @Nested
    class References {
        @Test
        void createdByRefMustBeAnIdentity() {
            ObjectNode o = indicator();
            o.put("created_by_ref", "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b");
            assertSingle(o, Severity.ERROR, "/created_by_ref", "must reference identity");
        }

        @Test
        void objectMarkingRefsMustBeMarkingDefinitions() {
            ObjectNode o = indicator();
            o.putArray("object_marking_refs").add(Tlp.GREEN).add("identity--f431f809-377b-45e0-aa1c-6a4751cae5ff");
            assertSingle(o, Severity.ERROR, "/object_marking_refs/1", "must reference marking-definition");
        }

        @Test
        void sightingOfRefMustBeAnSdo() {
            ObjectNode s = obj("{'type':'sighting','spec_version':'2.1','id':'sighting--ee20065d-2555-424f-ad9e-0f8428623c75',"
                    + "'created':'2016-04-06T20:08:31.000Z','modified':'2016-04-06T20:08:31.000Z',"
                    + "'sighting_of_ref':'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4'}");
            assertSingle(s, Severity.ERROR, "/sighting_of_ref", "must reference an SDO");
            s.put("sighting_of_ref", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
            s.putArray("where_sighted_refs").add("malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b");
            assertSingle(s, Severity.ERROR, "/where_sighted_refs/0", "one of identity, location");
        }

        @Test
        void relationshipEndsAreSdosOrScosOrCustomObjects() {
            ObjectNode r = obj("{'type':'relationship','spec_version':'2.1','id':'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad',"
                    + "'created':'2016-04-06T20:06:37.000Z','modified':'2016-04-06T20:06:37.000Z','relationship_type':'indicates',"
                    + "'source_ref':'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',"
                    + "'target_ref':'x-acme-widget--31b940d4-6f7f-459a-80ea-9c1f17b5891b'}");
            assertThat(problems(r)).isEmpty();
            r.put("target_ref", "sighting--ee20065d-2555-424f-ad9e-0f8428623c75");
            assertSingle(r, Severity.ERROR, "/target_ref", "must reference one of an SDO, an SCO");
        }

        @Test
        void malformedReference() {
            ObjectNode o = indicator();
            o.put("created_by_ref", "identity");
            assertSingle(o, Severity.ERROR, "/created_by_ref", "not an identifier");
        }
    }

    @Nested
    class Vocabularies {
        @Test
        void openVocabularyValueOutsideIsAWarning() {
            ObjectNode o = indicator();
            o.putArray("indicator_types").add("malicious-activity").add("spicy");
            assertSingle(o, Severity.WARNING, "/indicator_types/1", "'spicy' is not in the open vocabulary indicator-type-ov");
        }

        @Test
        void closedEnumerationValueOutsideIsAnError() {
            ObjectNode op = obj("{'type':'opinion','spec_version':'2.1','id':'opinion--b01efc25-77b4-4003-b18b-f6e24b5cd9f7',"
                    + "'created':'2016-05-12T08:17:27.000Z','modified':'2016-05-12T08:17:27.000Z','opinion':'maybe',"
                    + "'object_refs':['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f']}");
            assertSingle(op, Severity.ERROR, "/opinion", "'maybe' is not one of opinion-enum");
        }
    }

    @Nested
    class TlpMarkings {
        static final String TLP2_GREEN = "{'type':'marking-definition','spec_version':'2.1','id':'" + Tlp.GREEN + "',"
                + "'created':'2022-10-01T00:00:00.000Z','name':'TLP:GREEN','extensions':{'" + Tlp.EXTENSION_DEFINITION + "':"
                + "{'extension_type':'property-extension','tlp_2_0':'green'}}}";

        @Test
        void theStandardTlp2DefinitionIsValid() {
            assertThat(problems(obj(TLP2_GREEN))).isEmpty();
        }

        @Test
        void aStandardIdWithAnotherLevelIsAnError() {
            ObjectNode m = obj(TLP2_GREEN);
            ((ObjectNode) m.get("extensions").get(Tlp.EXTENSION_DEFINITION)).put("tlp_2_0", "red");
            assertSingle(m, Severity.ERROR, "/extensions/" + Tlp.EXTENSION_DEFINITION + "/tlp_2_0", "must have tlp_2_0 \"green\"");
        }

        @Test
        void aStrayDefinitionTypeOnTheStandardTlp2DefinitionIsOnlyAWarning() {
            ObjectNode m = obj(TLP2_GREEN);
            m.put("definition_type", "TLP:GREEN");
            assertSingle(m, Severity.WARNING, "/definition_type", "has no definition_type");
        }

        @Test
        void aTlp2MarkingUnderAnotherIdIsAnError() {
            ObjectNode m = obj(TLP2_GREEN);
            m.put("id", "marking-definition--11111111-2222-4333-8444-555555555555");
            assertSingle(m, Severity.ERROR, "/id", "must use its standard identifier");
        }

        @Test
        void tlp1StandardDefinitionsAreCheckedToo() {
            ObjectNode m = obj("{'type':'marking-definition','spec_version':'2.1','id':'" + Tlp.V1_RED + "',"
                    + "'created':'2017-01-20T00:00:00.000Z','definition_type':'tlp','name':'TLP:RED','definition':{'tlp':'red'}}");
            assertThat(problems(m)).isEmpty();
            ((ObjectNode) m.get("definition")).put("tlp", "white");
            assertSingle(m, Severity.ERROR, "/definition/tlp", "must have tlp \"red\"");
        }

        @Test
        void aMarkingDefinitionCannotMarkItself() {
            ObjectNode m = obj("{'type':'marking-definition','spec_version':'2.1','id':'marking-definition--11111111-2222-4333-8444-555555555555',"
                    + "'created':'2017-01-20T00:00:00.000Z','definition_type':'statement','definition':{'statement':'Copyright ACME'},"
                    + "'object_marking_refs':['" + Tlp.CLEAR + "','marking-definition--11111111-2222-4333-8444-555555555555']}");
            assertSingle(m, Severity.ERROR, "/object_marking_refs/1", "cannot mark itself");
        }

        @Test
        void aStatementMarkingNeedsItsDefinition() {
            ObjectNode m = obj("{'type':'marking-definition','spec_version':'2.1','id':'marking-definition--11111111-2222-4333-8444-555555555555',"
                    + "'created':'2017-01-20T00:00:00.000Z','definition_type':'statement'}");
            assertSingle(m, Severity.ERROR, "/definition", "required property definition");
        }
    }

    @Nested
    class ObjectRules {
        @Test
        void sightingCountRange() {
            ObjectNode s = obj("{'type':'sighting','spec_version':'2.1','id':'sighting--ee20065d-2555-424f-ad9e-0f8428623c75',"
                    + "'created':'2016-04-06T20:08:31.000Z','modified':'2016-04-06T20:08:31.000Z',"
                    + "'sighting_of_ref':'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f','count':-1}");
            assertSingle(s, Severity.ERROR, "/count", "out of range 0..999999999");
            s.put("count", 1_000_000_000);
            assertSingle(s, Severity.ERROR, "/count", "out of range");
            s.put("count", 2.5);
            assertSingle(s, Severity.ERROR, "/count", "must be an integer");
        }

        @Test
        void confidenceRange() {
            ObjectNode o = indicator();
            o.put("confidence", 101);
            assertSingle(o, Severity.ERROR, "/confidence", "out of range 0..100");
        }

        @Test
        void langMustBeALanguageTag() {
            ObjectNode o = indicator();
            o.put("lang", "en-US");
            assertThat(problems(o)).isEmpty();
            o.put("lang", "english!");
            assertSingle(o, Severity.ERROR, "/lang", "RFC 5646");
        }

        @Test
        void granularMarkingSelectorsMustSelectSomething() {
            ObjectNode o = indicator();
            o.set("granular_markings", obj("{'a':[{'marking_ref':'" + Tlp.AMBER + "','selectors':['name','indicator_types.[0]','description']}]}").get("a"));
            assertSingle(o, Severity.ERROR, "/granular_markings/0/selectors/2", "does not select");
        }

        @Test
        void granularMarkingNeedsExactlyOneOfLangAndMarkingRef() {
            ObjectNode o = indicator();
            o.set("granular_markings", obj("{'a':[{'lang':'en','marking_ref':'" + Tlp.AMBER + "','selectors':['name']}]}").get("a"));
            assertSingle(o, Severity.ERROR, "/granular_markings/0", "exactly one of lang and marking_ref");
        }

        @Test
        void externalReferencesNeedASourceName() {
            ObjectNode o = indicator();
            o.set("external_references", obj("{'a':[{'url':'https://example.com/report'}]}").get("a"));
            assertSingle(o, Severity.ERROR, "/external_references/0/source_name", "required property source_name");
        }

        @Test
        void cveAndCapecReferencesCarryWellFormedIdentifiers() {
            ObjectNode o = indicator();
            o.set("external_references", obj("{'a':[{'source_name':'cve','external_id':'CVE-2016-1234'},"
                    + "{'source_name':'capec','external_id':'CAPEC-163'}]}").get("a"));
            assertThat(problems(o)).isEmpty();
            o.set("external_references", obj("{'a':[{'source_name':'cve','external_id':'2016-1234'}]}").get("a"));
            assertSingle(o, Severity.ERROR, "/external_references/0/external_id", "not a CVE identifier");
            o.set("external_references", obj("{'a':[{'source_name':'capec','url':'https://capec.mitre.org/'}]}").get("a"));
            assertSingle(o, Severity.ERROR, "/external_references/0/external_id", "must give the identifier in external_id");
        }

        @Test
        void killChainPhasesNeedNameAndPhase() {
            ObjectNode o = indicator();
            o.set("kill_chain_phases", obj("{'a':[{'kill_chain_name':'lockheed-martin-cyber-kill-chain'}]}").get("a"));
            assertSingle(o, Severity.ERROR, "/kill_chain_phases/0/phase_name", "required property phase_name");
        }

        @Test
        void emptyListsAndNullsAreErrors() {
            ObjectNode o = indicator();
            o.putArray("labels");
            o.putNull("description");
            assertThat(problems(o)).extracting(Problem::pointer, Problem::severity).containsExactlyInAnyOrder(
                    tuple("/labels", Severity.ERROR), tuple("/description", Severity.ERROR));
        }

        @Test
        void hashValuesMustHaveTheirAlgorithmsLength() {
            ObjectNode f = obj("{'type':'file','id':'file--eb5628d4-0b29-4e91-93be-091797a81285','hashes':{'MD5':'abc'}}");
            assertSingle(f, Severity.ERROR, "/hashes/MD5", "32 hexadecimal digits");
        }

        @Test
        void addressObservablesMustHoldAddresses() {
            ObjectNode ip = obj("{'type':'ipv4-addr','id':'ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956','value':'10.0.0.0/8'}");
            assertThat(problems(ip)).isEmpty();
            ip.put("value", "256.1.1.1");
            assertSingle(ip, Severity.ERROR, "/value", "not an IPv4 address");
            ObjectNode ip6 = obj("{'type':'ipv6-addr','id':'ipv6-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956','value':'2001:db8::1'}");
            for (String ok : new String[] {"2001:db8::1", "::", "::ffff:192.0.2.1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8::/32"}) {
                ip6.put("value", ok);
                assertThat(problems(ip6)).as(ok).isEmpty();
            }
            for (String bad : new String[] {"2001:db8::1::2", "2001:db8:1", "12345::", "198.51.100.1", "2001:db8::/129"}) {
                ip6.put("value", bad);
                assertThat(problems(ip6)).as(bad).extracting(Problem::pointer).containsExactly("/value");
            }
            ObjectNode mac = obj("{'type':'mac-addr','id':'mac-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956','value':'D2:FB:49:24:37:18'}");
            assertSingle(mac, Severity.ERROR, "/value", "lower-case");
        }

        @Test
        void urlAndEmailObservablesMustHoldThem() {
            ObjectNode url = obj("{'type':'url','id':'url--1e4ffad7-0b88-41d4-ba4d-77d27490b956','value':'https://example.com/a?b=c'}");
            assertThat(problems(url)).isEmpty();
            url.put("value", "example.com/a b");
            assertSingle(url, Severity.ERROR, "/value", "not a URL");
            ObjectNode mail = obj("{'type':'email-addr','id':'email-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956','value':'jdoe@example.com'}");
            assertThat(problems(mail)).isEmpty();
            mail.put("value", "John Doe <jdoe@example.com>");
            assertSingle(mail, Severity.ERROR, "/value", "not an e-mail address");
        }

        @Test
        void shouldsOnNetworkTrafficAndLocationAreWarnings() {
            ObjectNode nt = obj("{'type':'network-traffic','id':'network-traffic--8f6360b2-5dca-4b52-9c76-61c88274cba7',"
                    + "'dst_ref':'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4','protocols':['ipv4','TCP']}");
            assertSingle(nt, Severity.WARNING, "/protocols/1", "lower case");
            ObjectNode loc = obj("{'type':'location','spec_version':'2.1','id':'location--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',"
                    + "'created':'2016-05-12T08:17:27.000Z','modified':'2016-05-12T08:17:27.000Z','country':'Germany'}");
            assertSingle(loc, Severity.WARNING, "/country", "ISO 3166-1 alpha-2");
        }

        @Test
        void activeTrafficHasNoEnd() {
            ObjectNode nt = obj("{'type':'network-traffic','id':'network-traffic--8f6360b2-5dca-4b52-9c76-61c88274cba7',"
                    + "'dst_ref':'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4','protocols':['tcp'],'is_active':true,"
                    + "'start':'2020-01-01T00:00:00Z','end':'2020-01-01T00:01:00Z'}");
            assertSingle(nt, Severity.ERROR, "/end", "still active");
            nt.put("is_active", false);
            assertThat(problems(nt)).isEmpty();
            nt.put("end", "2019-12-31T23:59:59Z");
            assertSingle(nt, Severity.ERROR, "/end", "no earlier than start");
        }

        @Test
        void archivesContainFilesAndDirectories() {
            ObjectNode f = obj("{'type':'file','id':'file--eb5628d4-0b29-4e91-93be-091797a81285','name':'a.zip',"
                    + "'extensions':{'archive-ext':{'contains_refs':['ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4']}}}");
            assertSingle(f, Severity.ERROR, "/extensions/archive-ext/contains_refs/0", "one of directory, file");
        }

        @Test
        void predefinedExtensionsAreChecked() {
            ObjectNode nt = obj("{'type':'network-traffic','id':'network-traffic--8f6360b2-5dca-4b52-9c76-61c88274cba7',"
                    + "'dst_ref':'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4','protocols':['tcp'],"
                    + "'extensions':{'socket-ext':{'address_family':'AF_WHATEVER'}}}");
            assertSingle(nt, Severity.ERROR, "/extensions/socket-ext/address_family", "not one of network-socket-address-family-enum");
        }
    }

    @Nested
    class CustomContent {
        @Test
        void customPropertiesAndExtensionsAreAccepted() {
            ObjectNode o = indicator();
            o.put("x_acme_score", 7);
            o.set("extensions", obj("{'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e':"
                    + "{'extension_type':'property-extension','rank':5}}"));
            assertThat(problems(o)).isEmpty();
        }

        @Test
        void undefinedPropertyWithoutXPrefixIsAWarning() {
            ObjectNode o = indicator();
            o.put("acme_score", 7);
            assertSingle(o, Severity.WARNING, "/acme_score", "should start with x_");
        }

        @Test
        void aNullCustomPropertyIsOnlyAWarning() {
            ObjectNode o = indicator();
            o.putNull("x_acme_score");
            assertSingle(o, Severity.WARNING, "/x_acme_score", "is null");
        }

        @Test
        void invalidPropertyNameIsAnError() {
            ObjectNode o = indicator();
            o.put("X-Score", 7);
            assertSingle(o, Severity.ERROR, "/X-Score", "not a valid property name");
        }

        @Test
        void customObjectTypesGetAWarningAndTheirCommonPropertiesChecked() {
            ObjectNode c = obj("{'type':'x-acme-widget','spec_version':'2.1','id':'x-acme-widget--31b940d4-6f7f-459a-80ea-9c1f17b5891b',"
                    + "'created':'2016-04-06T20:07:09.000Z','modified':'2016-04-06T20:07:08.000Z','gizmo':1}");
            assertThat(problems(c)).extracting(Problem::severity, Problem::pointer).containsExactlyInAnyOrder(
                    tuple(Severity.WARNING, "/type"), tuple(Severity.ERROR, "/modified"));
        }
    }

    @Nested
    class Bundles {
        @Test
        void problemsInsideABundlePointIntoIt() {
            ObjectNode b = obj("{'type':'bundle','id':'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d','objects':[]}");
            b.withArray("objects").add(indicator());
            ObjectNode bad = indicator();
            bad.put("confidence", -1);
            b.withArray("objects").add(bad);
            assertSingle(b, Severity.ERROR, "/objects/1/confidence", "out of range");
        }

        @Test
        void bundleForm() {
            ObjectNode b = obj("{'type':'bundle','id':'bundle--nope','objects':{}}");
            assertThat(problems(b)).extracting(Problem::pointer).containsExactlyInAnyOrder("/id", "/objects");
        }

        @Test
        void pointerTokensAreEscaped() {
            ObjectNode o = indicator();
            o.put("a/b", 1);
            assertThat(problems(o)).extracting(Problem::pointer).containsExactly("/a~1b");
        }
    }
}
