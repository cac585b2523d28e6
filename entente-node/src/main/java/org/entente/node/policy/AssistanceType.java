package org.entente.node.policy;

import java.util.Optional;
import org.entente.node.common.Vocabulary;

/**
 * What one organisation may ask another for under an agreement (docs/REQUESTS.md): the measures of
 * the Budapest Convention (preservation, art. 29; expedited disclosure of traffic data, art. 30;
 * production and access, art. 31; spontaneous information, art. 26) and what bilateral treaties and
 * memoranda add. An agreement names the types it covers and the article each rests on.
 */
public enum AssistanceType {
    PRESERVATION, EXPEDITED_DISCLOSURE, SUBSCRIBER_DATA, TRAFFIC_DATA, CONTENT_DATA, INFORMATION, SCREENING_FOLLOW_UP,
    SPONTANEOUS_INFORMATION;

    public String wire() {
        return Vocabulary.wire(this);
    }

    public static Optional<AssistanceType> parse(String s) {
        return Vocabulary.parse(AssistanceType.class, s);
    }

    public static String choices() {
        return Vocabulary.choices(values());
    }
}
