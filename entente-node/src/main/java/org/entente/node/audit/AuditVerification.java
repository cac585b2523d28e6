package org.entente.node.audit;

/**
 * What a verification found.
 *
 * @param records      records checked (up to the first problem)
 * @param checkpoints  checkpoints checked (up to the first problem)
 * @param firstBadSeq  the first record that was altered, removed or inserted; 0 when intact or when
 *                     the problem is not one record's (e.g. a file that is no export)
 * @param message      one sentence for a person: the summary when intact, else what is wrong and where
 */
public record AuditVerification(boolean intact, long records, long checkpoints, long firstBadSeq, String message) {

    static AuditVerification ok(long records, long checkpoints, String message) {
        return new AuditVerification(true, records, checkpoints, 0, message);
    }

    static AuditVerification bad(long records, long checkpoints, long seq, String message) {
        return new AuditVerification(false, records, checkpoints, seq, message);
    }
}
