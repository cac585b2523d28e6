package org.entente.node.requests;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.entente.node.common.Vocabulary;

/**
 * What can happen to a request, who may make it happen and from which states (docs/REQUESTS.md,
 * "Lifecycle"). The requested organisation's node decides the state once it has the request: each
 * of its events carries the state it left the request in, and the requester adopts it.
 */
public enum EventKind {
    SENT(Side.REQUESTER, EnumSet.of(RequestState.DRAFT), RequestState.SENT),
    RECEIVED(Side.REQUESTED, EnumSet.of(RequestState.SENT), RequestState.RECEIVED),
    ACKNOWLEDGED(Side.REQUESTED, EnumSet.of(RequestState.RECEIVED), RequestState.ACKNOWLEDGED),
    IN_PROGRESS(Side.REQUESTED, EnumSet.of(RequestState.ACKNOWLEDGED), RequestState.IN_PROGRESS),
    PARTIALLY_ANSWERED(Side.REQUESTED, EnumSet.of(RequestState.ACKNOWLEDGED, RequestState.IN_PROGRESS,
            RequestState.PARTIALLY_ANSWERED), RequestState.PARTIALLY_ANSWERED),
    ANSWERED(Side.REQUESTED, EnumSet.of(RequestState.ACKNOWLEDGED, RequestState.IN_PROGRESS,
            RequestState.PARTIALLY_ANSWERED), RequestState.ANSWERED),
    REFUSED(Side.REQUESTED, EnumSet.of(RequestState.RECEIVED, RequestState.ACKNOWLEDGED, RequestState.IN_PROGRESS,
            RequestState.PARTIALLY_ANSWERED), RequestState.REFUSED),
    WITHDRAWN(Side.REQUESTER, EnumSet.of(RequestState.SENT, RequestState.RECEIVED, RequestState.ACKNOWLEDGED,
            RequestState.IN_PROGRESS, RequestState.PARTIALLY_ANSWERED), RequestState.WITHDRAWN),
    /** The requested node took a withdrawal into account (its state is now withdrawn). */
    WITHDRAWAL_ACCEPTED(Side.REQUESTED, EnumSet.noneOf(RequestState.class), RequestState.WITHDRAWN),
    /** The withdrawal came after the answer or refusal: that stands. */
    WITHDRAWAL_DECLINED(Side.REQUESTED, EnumSet.noneOf(RequestState.class), null),
    /** A question or an answer to one, from either side; the state does not change. */
    CLARIFICATION(Side.EITHER, EnumSet.of(RequestState.SENT, RequestState.RECEIVED, RequestState.ACKNOWLEDGED,
            RequestState.IN_PROGRESS, RequestState.PARTIALLY_ANSWERED), null);

    /** Which organisation's node makes it. */
    enum Side { REQUESTER, REQUESTED, EITHER }

    final Side side;
    final Set<RequestState> from;
    /** The state it leads to; null when it leaves the state as it is (or as the maker says). */
    final RequestState to;

    EventKind(Side side, Set<RequestState> from, RequestState to) {
        this.side = side;
        this.from = from;
        this.to = to;
    }

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<EventKind> parse(String s) {
        return Vocabulary.parse(EventKind.class, s);
    }

    /** Whether a person of that side may make it now. */
    boolean allowed(RequestState current, boolean requester) {
        boolean sideOk = side == Side.EITHER || (side == Side.REQUESTER) == requester;
        if (!sideOk || !from.contains(current)) return false;
        // The requester may ask a question as soon as it has sent; the requested party once it has the request.
        return this != CLARIFICATION || requester || current != RequestState.SENT;
    }

    /** What a person may do now, for the error that says why something else is not possible. */
    static String possible(RequestState current, boolean requester) {
        StringBuilder sb = new StringBuilder();
        for (EventKind k : values()) {
            if (k == SENT && current != RequestState.DRAFT) continue;
            if (k.allowed(current, requester)) sb.append(sb.isEmpty() ? "" : ", ").append(k.action());
        }
        return sb.isEmpty() ? "nothing" : sb.toString();
    }

    /** The verb of the API and the command line for it. */
    String action() {
        return switch (this) {
            case SENT -> "send";
            case ACKNOWLEDGED -> "ack";
            case IN_PROGRESS -> "start";
            case PARTIALLY_ANSWERED, ANSWERED -> "answer";
            case REFUSED -> "refuse";
            case WITHDRAWN -> "withdraw";
            case CLARIFICATION -> "clarify";
            default -> wire();
        };
    }
}
