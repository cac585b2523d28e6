package org.entente.node.requests;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/** Requests, events and notices as the API, the command line and the console show them. */
final class RequestJson {
    private RequestJson() {}


    static ObjectNode notice(Requests.Notice n) {
        ObjectNode o = RequestForm.JSON.createObjectNode();
        o.put("request", n.requestId()).put("kind", n.kind()).put("due", n.due().toString()).put("at", n.at().toString())
                .put("to", n.addressedTo()).put("text", n.text());
        return o;
    }

    /** What a list shows of a request, with its countdowns at {@code now}. */
    static ObjectNode summary(Requests.Request r, Instant now) {
        ObjectNode o = RequestForm.JSON.createObjectNode();
        o.put("id", r.id());
        o.put("direction", r.outgoing() ? "outgoing" : "incoming");
        o.put("requester", r.requester());
        o.put("requested", r.requested());
        o.put("type", r.type().wire());
        o.put("urgency", r.urgency().wire());
        o.put("state", r.state().wire());
        o.putObject("legal_basis").put("agreement", r.agreementId()).put("article", r.article());
        o.put("summary", r.document().path("summary").asText(""));
        if (r.deadline() != null) {
            o.put("deadline", r.deadline().toString());
            o.put("seconds_to_deadline", Duration.between(now, r.deadline()).toSeconds());
            o.put("overdue", r.state().open() && r.answered() == null && !now.isBefore(r.deadline()));
        }
        if (r.preservedUntil() != null) {
            o.put("preserved_until", r.preservedUntil().toString());
            o.put("seconds_of_preservation_left", Math.max(0, Duration.between(now, r.preservedUntil()).toSeconds()));
        }
        o.put("updated", r.updated().toString());
        return o;
    }

    static ObjectNode detail(Requests requests, Requests.Request r) {
        Instant now = requests.clock().instant();
        ObjectNode o = summary(r, now);
        o.set("request", r.document());
        o.put("created", r.created().toString());
        o.put("created_by", r.createdBy());
        if (r.sent() != null) o.put("sent", r.sent().toString());
        if (r.acknowledged() != null) o.put("acknowledged", r.acknowledged().toString());
        if (r.answered() != null) o.put("answered", r.answered().toString());
        if (r.extendsId() != null) o.put("extends", r.extendsId());
        ArrayNode events = o.putArray("events");
        for (Requests.Event e : requests.events(r.id())) events.add(event(e));
        ArrayNode ns = o.putArray("notices");
        for (Requests.Notice n : requests.notices(r.id(), 100)) ns.add(notice(n));
        return o;
    }

    static ObjectNode event(Requests.Event e) {
        ObjectNode o = RequestForm.JSON.createObjectNode();
        o.put("id", e.id());
        o.put("kind", e.kind().wire());
        o.put("state", e.state().wire());
        o.put("by", e.by());
        if (e.actor() != null) o.put("actor", e.actor());
        o.put("at", e.at().toString());
        o.put("recorded", e.recorded().toString());
        o.set("detail", e.detail());
        if (e.signed() != null) {
            o.putObject("signature").put("message", e.messageId()).put("key", e.signed().path("key").asText())
                    .put("value", e.signed().path("signature").asText());
        }
        return o;
    }
}
