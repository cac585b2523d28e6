package org.entente.node.taxii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque {@code next} tokens: the position after the last entry of a page, bound to the query that
 * produced it and signed with the node's key, so that a token we did not issue, or one replayed
 * against another query, is refused instead of silently paging the wrong data.
 */
final class PagingTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private final java.util.function.Supplier<byte[]> keySource;
    private volatile byte[] key;

    /** @param key the node-wide signing key, read from the database when the first token is made or redeemed */
    PagingTokens(java.util.function.Supplier<byte[]> key) {
        this.keySource = key;
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) key = k = keySource.get().clone();
        return k;
    }

    String issue(String queryFingerprint, Instant lastDateAdded) {
        long micros = lastDateAdded.getEpochSecond() * 1_000_000L + lastDateAdded.getNano() / 1_000;
        String payload = "1|" + micros + "|" + queryFingerprint;
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(p) + "." + B64.encodeToString(mac(p));
    }

    /** The position a token stands for, or an exception naming why it is refused. */
    Instant redeem(String token, String queryFingerprint) {
        int dot = token.indexOf('.');
        byte[] payload;
        byte[] sig;
        try {
            if (dot < 0 || token.length() > 1024) throw new IllegalArgumentException();
            payload = B64D.decode(token.substring(0, dot));
            sig = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw TaxiiException.badRequest("the 'next' token was not issued by this server");
        }
        if (!MessageDigest.isEqual(sig, mac(payload))) {
            throw TaxiiException.badRequest("the 'next' token was not issued by this server");
        }
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", 3);
        if (parts.length != 3 || !parts[0].equals("1")) {
            throw TaxiiException.badRequest("the 'next' token was not issued by this server");
        }
        if (!parts[2].equals(queryFingerprint)) {
            throw TaxiiException.badRequest("the 'next' token belongs to a different request: repeat the filters"
                    + " (collection, object, match[...], added_after) of the request that returned it");
        }
        long micros = Long.parseLong(parts[1]);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(payload), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
