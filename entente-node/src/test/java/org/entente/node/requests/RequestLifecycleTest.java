package org.entente.node.requests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.entente.node.config.Key;
import org.entente.node.policy.Agreement;
import org.entente.node.requests.Desk.Started;
import org.entente.node.store.CollectionInfo;
import org.entente.node.testing.Federated;
import org.entente.node.testing.Http;
import org.entente.stix.Tlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Requests for assistance between three real nodes on loopback: A (a cybercrime unit) asks B (a
 * CERT) under a memorandum that covers requests; C, a peer of A under an agreement that covers none,
 * tries to answer in B's place. The clocks are the tests' to move.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RequestLifecycleTest {
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final Desk.MovableClock CLOCK_A = new Desk.MovableClock(T0);
    static final Desk.MovableClock CLOCK_B = new Desk.MovableClock(T0);
    static Started a;
    static Started b;
    static Started c;
    static Agreement mou;
    static Agreement noAssistance;
    static String preserved;

    @BeforeAll
    static void start() {
        a = Desk.start("Cybercrime Unit", "EE", "cybercrime", "+372 612 3000 (24/7)", CLOCK_A,
                Map.of(Key.REQUESTS_ATTACHMENT_LIMIT, "2048"));
        b = Desk.start("National CERT", "DE", "cert", "24-7@cert.example.de, +49 30 1234 5678", CLOCK_B, Map.of());
        c = Desk.start("Judicial Police", "FR", "police", null, new Desk.MovableClock(T0), Map.of());
        Desk.pair(a, b);
        Desk.pair(a, c);
        mou = Desk.agree(a, b, Desk.agreement("MoU on cybercrime cooperation", List.of(a.own().id(), b.own().id()),
                Desk.budapest()));
        noAssistance = Desk.agree(a, c, Desk.agreement("Indicator sharing", List.of(a.own().id(), c.own().id()), null));
    }

    @AfterAll
    static void stop() {
        for (Started s : new Started[] {c, b, a}) if (s != null) s.node().close();
    }

    private static void advance(Duration d) {
        CLOCK_A.advance(d);
        CLOCK_B.advance(d);
    }

    @Test
    @Order(1)
    void aPreservationIsAcknowledgedAndAnsweredWithDataThatLandsWithItsProvenance() {
        Http http = Desk.liaison(a);
        Http.Response created = http.post("/api/requests", Desk.preservation(b, mou.id()).toString(), "application/json");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        preserved = id;
        assertThat(created.json().path("legal_basis").path("article").asText()).isEqualTo("Budapest Convention, Art. 29");
        // Urgent under the memorandum: three days to answer, counted from sending, at both ends.
        assertThat(created.json().path("deadline").asText()).isEqualTo(T0.plus(Duration.ofDays(3)).toString());

        Requests.Request atB = Desk.awaitState(b, id, RequestState.RECEIVED);
        assertThat(atB.outgoing()).isFalse();
        assertThat(atB.deadline()).isEqualTo(T0.plus(Duration.ofDays(3)));
        Desk.awaitState(a, id, RequestState.RECEIVED);

        // B's desk sees it in its inbox, over HTTP.
        JsonNode inbox = Desk.liaison(b).get("/api/requests?box=inbox", "application/json").json();
        assertThat(inbox.path("requests").get(0).path("id").asText()).isEqualTo(id);
        assertThat(inbox.path("requests").get(0).path("seconds_to_deadline").asLong()).isEqualTo(3 * 86400);

        assertThat(Desk.liaison(b).post("/api/requests/" + id + "/ack", "{\"note\":\"on it\"}", "application/json").status())
                .isEqualTo(200);
        Desk.awaitState(a, id, RequestState.ACKNOWLEDGED);
        CLOCK_B.advance(Duration.ofHours(5));
        CLOCK_A.advance(Duration.ofHours(5));
        b.requests().start(id, Desk.actor("officer-b"), null);
        Desk.awaitState(a, id, RequestState.IN_PROGRESS);

        String indicator = "indicator--" + java.util.UUID.randomUUID();
        ObjectNode answer = Desk.M.createObjectNode();
        answer.put("text", "Mailbox and access logs preserved; the account logged in from this address.");
        answer.putArray("objects").add(Desk.json("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + indicator
                + "\",\"created\":\"2026-03-02T10:00:00.000Z\",\"modified\":\"2026-03-02T10:00:00.000Z\",\"name\":\"login"
                + " address\",\"pattern\":\"[ipv4-addr:value = '198.51.100.23']\",\"pattern_type\":\"stix\",\"valid_from\":"
                + "\"2026-03-02T10:00:00Z\",\"object_marking_refs\":[\"" + Tlp.GREEN + "\"]}"));
        Http.Response answered = Desk.liaison(b).post("/api/requests/" + id + "/answer", answer.toString(), "application/json");
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);

        Requests.Request atA = Desk.awaitState(a, id, RequestState.ANSWERED);
        atB = b.requests().find(id).orElseThrow();
        // The preservation runs 90 days from the answer, and both ends count down to the same moment.
        Instant until = T0.plus(Duration.ofHours(5)).plus(Duration.ofDays(90));
        assertThat(atB.preservedUntil()).isEqualTo(until);
        assertThat(atA.preservedUntil()).isEqualTo(until);
        assertThat(atA.acknowledged()).isEqualTo(T0);
        assertThat(atA.answered()).isEqualTo(T0.plus(Duration.ofHours(5)));

        // The data is in A's store, in a collection whose provenance is B and the memorandum.
        CollectionInfo landed = a.node().services().store().collections().stream()
                .filter(x -> b.own().id().equals(x.providerId())).findFirst().orElseThrow();
        assertThat(landed.agreementId()).isEqualTo(mou.id());
        int held = Desk.count(a, "SELECT count(*) FROM stix_object o JOIN collection c ON c.num = o.collection_no"
                + " WHERE c.id = '" + landed.id() + "' AND o.id = '" + indicator + "'");
        assertThat(held).isEqualTo(1);

        // One history at both ends, every event signed by the node that made it.
        assertThat(Desk.events(a, id)).isEqualTo(Desk.events(b, id));
        assertThat(Desk.events(a, id).stream().map(s -> s.substring(0, s.indexOf(':'))).toList())
                .containsExactly("sent", "received", "acknowledged", "in-progress", "answered");
        String keyA = a.node().services().federation().identityDocument().path("signing_key").path("id").asText();
        String keyB = b.node().services().federation().identityDocument().path("signing_key").path("id").asText();
        for (Started n : List.of(a, b)) {
            for (Requests.Event e : n.requests().events(id)) {
                assertThat(e.signed()).isNotNull();
                assertThat(e.signed().path("key").asText()).isEqualTo(e.by().equals(a.own().id()) ? keyA : keyB);
            }
        }
        // Audited at both ends, each transition.
        for (Started n : List.of(a, b)) {
            assertThat(Desk.count(n, "SELECT count(*) FROM audit_record WHERE kind = 'assistance-request'"
                    + " AND detail->>'request' = '" + id + "' AND detail->>'event' <> 'drafted'")).isEqualTo(5);
        }
    }

    @Test
    @Order(2)
    void aRefusalCarriesItsGroundsAndARefusalWithoutGroundsIsRefused() {
        ObjectNode body = Desk.preservation(b, mou.id());
        body.put("type", "subscriber-data").put("urgency", "routine");
        String id = a.requests().create(body, Desk.actor("officer-a")).id();
        Desk.awaitState(b, id, RequestState.RECEIVED);

        Http.Response bare = Desk.liaison(b).post("/api/requests/" + id + "/refuse", "{}", "application/json");
        assertThat(bare.status()).isEqualTo(400);
        assertThat(bare.json().path("problems").get(0).path("field").asText()).isEqualTo("/grounds");
        assertThat(b.requests().find(id).orElseThrow().state()).isEqualTo(RequestState.RECEIVED);

        b.requests().refuse(id, Desk.actor("officer-b"), "Dual criminality: the conduct is not an offence here.");
        Requests.Request atA = Desk.awaitState(a, id, RequestState.REFUSED);
        Requests.Event refusal = a.requests().events(id).getLast();
        assertThat(refusal.kind()).isEqualTo(EventKind.REFUSED);
        assertThat(refusal.detail().path("grounds").asText()).contains("Dual criminality");
        assertThat(atA.answered()).isNotNull();
    }

    @Test
    @Order(3)
    void aWithdrawalEndsTheRequestAtBothEnds() {
        String id = a.requests().create(Desk.preservation(b, mou.id()), Desk.actor("officer-a")).id();
        Desk.awaitState(a, id, RequestState.RECEIVED);
        b.requests().acknowledge(id, Desk.actor("officer-b"), null);
        Desk.awaitState(a, id, RequestState.ACKNOWLEDGED);
        a.requests().withdraw(id, Desk.actor("officer-a"), "The suspect was identified otherwise.");
        Desk.awaitState(b, id, RequestState.WITHDRAWN);
        Federated.await("B's acceptance of the withdrawal at A", () -> a.requests().events(id).stream()
                .anyMatch(e -> e.kind() == EventKind.WITHDRAWAL_ACCEPTED));
        assertThat(a.requests().find(id).orElseThrow().state()).isEqualTo(RequestState.WITHDRAWN);
        assertThat(Desk.events(a, id)).isEqualTo(Desk.events(b, id));
        // Nothing more can happen to it.
        Http.Response late = Desk.liaison(b).post("/api/requests/" + id + "/answer", "{\"text\":\"too late\"}",
                "application/json");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("description").asText()).contains("'answer'", "withdrawn");
    }

    @Test
    @Order(4)
    void aClarificationRoundLeavesTheStateAsItWas() {
        ObjectNode body = Desk.preservation(b, mou.id());
        body.put("type", "information");
        String id = a.requests().create(body, Desk.actor("officer-a")).id();
        Desk.awaitState(b, id, RequestState.RECEIVED);
        b.requests().acknowledge(id, Desk.actor("officer-b"), null);
        Requests.Request asked = b.requests().clarify(id, Desk.actor("officer-b"),
                Desk.json("{\"text\":\"Which time zone is the login time in?\"}"));
        String question = b.requests().events(id).getLast().id();
        Federated.await("the question at A", () -> a.requests().events(id).stream().anyMatch(e -> e.id().equals(question)));
        assertThat(a.requests().find(id).orElseThrow().state()).isEqualTo(RequestState.ACKNOWLEDGED);
        a.requests().clarify(id, Desk.actor("officer-a"), Desk.json("{\"text\":\"Central European Time, as stated.\","
                + "\"in_reply_to\":\"" + question + "\",\"attachments\":[{\"name\":\"log.txt\",\"media_type\":\"text/plain\","
                + "\"content\":\"" + java.util.Base64.getEncoder().encodeToString("02:13 login".getBytes()) + "\"}]}"));
        Federated.await("the reply at B", () -> b.requests().events(id).size() == 5);
        Requests.Event reply = b.requests().events(id).getLast();
        assertThat(reply.kind()).isEqualTo(EventKind.CLARIFICATION);
        assertThat(reply.detail().path("in_reply_to").asText()).isEqualTo(question);
        String hash = reply.detail().path("attachments").get(0).path("sha256").asText();
        assertThat(new String(b.requests().attachment(id, hash).orElseThrow().content())).isEqualTo("02:13 login");
        assertThat(b.requests().find(id).orElseThrow().state()).isEqualTo(asked.state()).isEqualTo(RequestState.ACKNOWLEDGED);
        assertThat(Desk.events(a, id)).isEqualTo(Desk.events(b, id));
    }

    @Test
    @Order(5)
    void aRequestUnderNoAgreementOrOfATypeNotCoveredIsRefusedBeforeItLeaves() {
        int outbox = Desk.count(a, "SELECT count(*) FROM federation_outbox WHERE kind LIKE 'assistance-%'");
        int rows = Desk.count(a, "SELECT count(*) FROM assistance_request");
        // C's agreement with A covers no requests.
        ObjectNode toC = Desk.preservation(c, noAssistance.id());
        Http.Response r1 = Desk.liaison(a).post("/api/requests", toC.toString(), "application/json");
        assertThat(r1.status()).isEqualTo(400);
        assertThat(r1.json().path("problems").get(0).path("field").asText()).isEqualTo("/legal_basis/agreement");
        assertThat(r1.json().path("problems").get(0).path("message").asText()).contains("covers no requests");
        // The memorandum binds A and B, not C.
        Http.Response r2 = Desk.liaison(a).post("/api/requests", Desk.preservation(c, mou.id()).toString(), "application/json");
        assertThat(r2.json().path("problems").get(0).path("message").asText()).contains("does not bind");
        // Content data is not among the memorandum's types.
        ObjectNode content = Desk.preservation(b, mou.id());
        content.put("type", "content-data");
        Http.Response r3 = Desk.liaison(a).post("/api/requests", content.toString(), "application/json");
        assertThat(r3.status()).isEqualTo(400);
        assertThat(r3.json().path("problems").get(0).path("field").asText()).isEqualTo("/type");
        assertThat(r3.json().path("problems").get(0).path("message").asText()).contains("does not cover content-data");

        assertThat(Desk.count(a, "SELECT count(*) FROM federation_outbox WHERE kind LIKE 'assistance-%'")).isEqualTo(outbox);
        assertThat(Desk.count(a, "SELECT count(*) FROM assistance_request")).isEqualTo(rows);
        assertThat(Desk.count(a, "SELECT count(*) FROM audit_record WHERE kind = 'assistance-request-rejected'"
                + " AND detail->>'action' = 'new'")).isGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(6)
    void badInputIsAClear4xxNamingTheFieldAndChangesNothing() {
        Http http = Desk.liaison(a);
        int rows = Desk.count(a, "SELECT count(*) FROM assistance_request");
        int outbox = Desk.count(a, "SELECT count(*) FROM federation_outbox");
        ObjectNode noBasis = Desk.preservation(b, mou.id());
        noBasis.remove("legal_basis");
        assertProblem(http.post("/api/requests", noBasis.toString(), "application/json"), 400, "/legal_basis");
        ObjectNode unknownPartner = Desk.preservation(b, mou.id());
        unknownPartner.put("partner", "Ministry of Nowhere");
        assertProblem(http.post("/api/requests", unknownPartner.toString(), "application/json"), 400, "/partner");
        ObjectNode past = Desk.preservation(b, mou.id());
        past.put("deadline", "2020-01-01T00:00:00Z");
        assertProblem(http.post("/api/requests", past.toString(), "application/json"), 400, "/deadline");
        ObjectNode big = Desk.preservation(b, mou.id());
        big.putArray("attachments").addObject().put("name", "dump.bin")
                .put("content", java.util.Base64.getEncoder().encodeToString(new byte[4096]));
        assertProblem(http.post("/api/requests", big.toString(), "application/json"), 400, "/attachments/0/content");
        ObjectNode type = Desk.preservation(b, mou.id());
        type.put("type", "rendition");
        assertProblem(http.post("/api/requests", type.toString(), "application/json"), 400, "/type");
        ObjectNode ip = Desk.preservation(b, mou.id());
        ((ObjectNode) ip.path("subject").path("ip_addresses").get(0)).remove("time_zone");
        assertProblem(http.post("/api/requests", ip.toString(), "application/json"), 400,
                "/subject/ip_addresses/0/time_zone");
        // A transition not allowed: the requester cannot acknowledge its own request.
        Http.Response ack = http.post("/api/requests/" + preserved + "/ack", "", "application/json");
        assertThat(ack.status()).isEqualTo(409);
        assertThat(ack.json().path("description").asText()).contains("transition 'ack'", "answered");
        // An analyst has no desk.
        Http analyst = new Http(a.node().url(), Http.basic("analyst", Desk.PASSWORD));
        assertThat(analyst.post("/api/requests", Desk.preservation(b, mou.id()).toString(), "application/json").status())
                .isEqualTo(403);

        assertThat(Desk.count(a, "SELECT count(*) FROM assistance_request")).isEqualTo(rows);
        assertThat(Desk.count(a, "SELECT count(*) FROM federation_outbox")).isEqualTo(outbox);
        assertThat(Desk.count(a, "SELECT count(*) FROM assistance_event WHERE request_id = '" + preserved + "'"))
                .isEqualTo(5);
        assertThat(Desk.count(a, "SELECT count(*) FROM audit_record WHERE kind = 'assistance-request-rejected'"
                + " AND detail->>'reason' LIKE '%transition ''ack''%'")).isEqualTo(1);
        assertThat(Desk.count(a, "SELECT count(*) FROM audit_record WHERE kind = 'assistance-request-rejected'"
                + " AND detail->>'reason' LIKE '%/deadline%'")).isEqualTo(1);
    }

    private static void assertProblem(Http.Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("problems").findValuesAsText("field")).as(r.body()).contains(field);
    }

    @Test
    @Order(7)
    void aForgedAnswerAndWithdrawalFromAnotherPeerAreRefusedAndAudited() {
        String id = a.requests().create(Desk.preservation(b, mou.id()), Desk.actor("officer-a")).id();
        Desk.awaitState(a, id, RequestState.RECEIVED);
        // C's node signs them with its own key: valid signatures, by the wrong signer for this request.
        // Written in one transaction, they reach A together, in one call, and are refused one by one.
        var channel = c.node().services().federation().channel();
        List<String> messages = c.node().database().jdbi().inTransaction(h -> List.of(
                channel.send(h, a.own().id(), "assistance-event", forgedEvent(id, "answered", "answered")),
                channel.send(h, a.own().id(), "assistance-event", forgedEvent(id, "withdrawn", "withdrawn"))));
        Federated.await("A's refusal of the forged answer and withdrawal", () -> channel.outbox(a.own().id(), 20).stream()
                .filter(o -> messages.contains(o.id()) && o.delivered() != null).count() == 2);
        for (String message : messages) {
            assertThat(channel.outbox(a.own().id(), 20).stream().filter(o -> o.id().equals(message)).findFirst()
                    .orElseThrow().lastError()).contains("403");
            assertThat(Desk.count(a, "SELECT count(*) FROM audit_record WHERE kind = 'assistance-request-rejected'"
                    + " AND detail->>'request' = '" + id + "' AND detail->>'message' = '" + message + "'")).isEqualTo(1);
        }
        assertThat(a.requests().find(id).orElseThrow().state()).isEqualTo(RequestState.RECEIVED);
        assertThat(Desk.count(a, "SELECT count(*) FROM assistance_event WHERE request_id = '" + id + "'")).isEqualTo(2);
    }

    private static ObjectNode forgedEvent(String requestId, String kind, String state) {
        ObjectNode forged = Desk.M.createObjectNode();
        forged.put("request", requestId);
        forged.putObject("event").put("id", java.util.UUID.randomUUID().toString()).put("kind", kind)
                .put("state", state).put("at", T0.toString()).put("actor", "impostor")
                .putObject("detail").put("text", "nothing to see");
        return forged;
    }

    @Test
    @Order(8)
    void theDeskListsByUrgencyAndDeadlineAndKnowsThePartnersContactPoints() {
        ObjectNode life = Desk.preservation(b, mou.id());
        life.put("urgency", "threat-to-life").put("type", "subscriber-data");
        String first = a.requests().create(life, Desk.actor("officer-a")).id();
        Desk.awaitState(b, first, RequestState.RECEIVED);
        JsonNode inbox = Desk.liaison(b).get("/api/requests?box=inbox&limit=2", "application/json").json();
        assertThat(inbox.path("requests").get(0).path("id").asText()).isEqualTo(first);
        assertThat(inbox.path("next").asText()).isNotEmpty();
        JsonNode rest = Desk.liaison(b).get("/api/requests?box=inbox&limit=500&after=" + inbox.path("next").asText(),
                "application/json").json();
        assertThat(rest.path("requests").findValuesAsText("id")).doesNotContain(first);
        assertThat(rest.path("requests").findValuesAsText("urgency")).doesNotContain("threat-to-life");

        JsonNode dir = Desk.liaison(a).get("/api/requests/directory", "application/json").json();
        JsonNode cert = dir.path("contacts").findParents("organisation").stream()
                .filter(x -> x.path("organisation").asText().equals(b.own().id())).findFirst().orElseThrow();
        assertThat(cert.path("contact_point").asText()).isEqualTo("24-7@cert.example.de, +49 30 1234 5678");
        assertThat(cert.path("agreements").findValuesAsText("")).isEmpty();
        assertThat(cert.path("agreements").get(0).asText()).isEqualTo(mou.id());

        JsonNode figures = Desk.liaison(a).get("/api/requests/figures", "application/json").json();
        JsonNode sent = figures.path("partners").findParents("direction").stream()
                .filter(x -> x.path("partner").asText().equals(b.own().id()) && x.path("direction").asText().equals("sent"))
                .findFirst().orElseThrow();
        assertThat(sent.path("median_seconds_to_acknowledge").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(sent.path("answered_in_time").asLong()).isEqualTo(2);
    }

    @Test
    @Order(9)
    void remindersBeforeTheDeadlineEscalationAfterItAndThePreservationsCountdown() {
        ObjectNode urgent = Desk.preservation(b, mou.id());
        urgent.put("type", "expedited-disclosure");
        String id = a.requests().create(urgent, Desk.actor("officer-a")).id();
        Desk.awaitState(b, id, RequestState.RECEIVED);
        Instant deadline = b.requests().find(id).orElseThrow().deadline();
        assertThat(noticesOf(b, id)).isEmpty();
        b.requests().checkDeadlines();
        assertThat(noticesOf(b, id)).isEmpty();

        // 2.5 of 3 days gone: a reminder at both desks, once however often the check runs.
        advance(Duration.ofHours(60));
        b.requests().checkDeadlines();
        b.requests().checkDeadlines();
        a.requests().checkDeadlines();
        assertThat(noticesOf(b, id)).containsExactly("reminder");
        assertThat(b.requests().notices(id, 10).get(0).addressedTo()).isEqualTo("24-7@cert.example.de, +49 30 1234 5678");
        assertThat(noticesOf(a, id)).containsExactly("reminder");

        // Past the deadline without an answer: escalation, at A to B's contact point from B's identity.
        advance(Duration.ofHours(13));
        a.requests().checkDeadlines();
        b.requests().checkDeadlines();
        assertThat(noticesOf(a, id)).containsExactlyInAnyOrder("reminder", "escalation");
        Requests.Notice esc = a.requests().notices(id, 10).stream().filter(n -> n.kind().equals("escalation")).findFirst()
                .orElseThrow();
        assertThat(esc.addressedTo()).isEqualTo("24-7@cert.example.de, +49 30 1234 5678");
        assertThat(esc.due()).isEqualTo(deadline);
        assertThat(noticesOf(b, id)).containsExactlyInAnyOrder("reminder", "escalation");
        JsonNode shown = Desk.liaison(a).get("/api/requests/" + id, "application/json").json();
        assertThat(shown.path("overdue").asBoolean()).isTrue();
        assertThat(Desk.count(a, "SELECT count(*) FROM audit_record WHERE kind = 'assistance-notice'"
                + " AND detail->>'request' = '" + id + "'")).isEqualTo(2);

        // The preservation of the first test: 90 days from its answer; a warning 14 days before, then its end.
        Requests.Request p = a.requests().find(preserved).orElseThrow();
        Duration toWarning = Duration.between(CLOCK_A.instant(), p.preservedUntil().minus(Duration.ofDays(14)));
        advance(toWarning.plusMinutes(1));
        a.requests().checkDeadlines();
        b.requests().checkDeadlines();
        assertThat(noticesOf(a, preserved)).containsExactly("preservation-expiring");
        assertThat(noticesOf(b, preserved)).containsExactly("preservation-expiring");
        JsonNode countdown = Desk.liaison(b).get("/api/requests/" + preserved, "application/json").json();
        assertThat(countdown.path("seconds_of_preservation_left").asLong())
                .isEqualTo(Duration.ofDays(14).minusMinutes(1).toSeconds());
        advance(Duration.ofDays(15));
        a.requests().checkDeadlines();
        assertThat(noticesOf(a, preserved)).containsExactlyInAnyOrder("preservation-expiring", "preservation-expired");
    }

    @Test
    @Order(10)
    void theCommandLineWritesListsAndMovesRequestsOnTheServingNodesDatabase() {
        org.entente.node.testing.Cli.Run made = cli(a, "request", "new", "--partner", b.own().name(), "--type",
                "information", "--agreement", mou.id(), "--ip", "203.0.113.9@2026-03-01T10:00:00Z@UTC", "--measure",
                "name the customer of this address", "--language", "en", "--summary", "Botnet controller");
        assertThat(made.exit()).as(made.err()).isZero();
        String id = made.out().substring(0, made.out().indexOf(' '));
        Desk.awaitState(b, id, RequestState.RECEIVED);
        org.entente.node.testing.Cli.Run inbox = cli(b, "request", "list");
        assertThat(inbox.out()).contains(id, "information", "received");
        assertThat(cli(b, "request", "ack", id).exit()).isZero();
        Desk.awaitState(a, id, RequestState.ACKNOWLEDGED);
        assertThat(cli(b, "request", "answer", id, "--text", "Customer: Example Hosting Ltd.").exit()).isZero();
        Desk.awaitState(a, id, RequestState.ANSWERED);
        assertThat(cli(a, "request", "show", id).out()).contains("\"state\" : \"answered\"", "Example Hosting");

        org.entente.node.testing.Cli.Run badType = cli(a, "request", "new", "--partner", b.own().name(), "--type",
                "rendition", "--agreement", mou.id(), "--domain", "x.example", "--measure", "m", "--language", "en",
                "--summary", "s");
        assertThat(badType.exit()).isEqualTo(2);
        assertThat(badType.err()).contains("/type", "unknown request type 'rendition'");
        org.entente.node.testing.Cli.Run late = cli(a, "request", "withdraw", id);
        assertThat(late.exit()).isEqualTo(2);
        assertThat(late.err()).contains("transition 'withdraw' is not allowed", "answered");
    }

    private static org.entente.node.testing.Cli.Run cli(Started n, String... args) {
        org.entente.node.config.DatabaseLocation.External db = (org.entente.node.config.DatabaseLocation.External) n.db();
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--database-url";
        all[args.length + 1] = db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres&password=postgres";
        return org.entente.node.testing.Cli.run(all);
    }

    private static List<String> noticesOf(Started n, String id) {
        return n.requests().notices(id, 20).stream().map(Requests.Notice::kind).toList();
    }
}
