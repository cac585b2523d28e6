package org.entente.screening.io;

/** Told how far an import has come, in bytes of the source read so far out of its size (-1 if unknown). */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> { };

    void advanced(long done, long total);
}
