package org.entente.node.federation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The primitives of federation: Ed25519 (BouncyCastle's, several times faster than the JDK's here),
 * SHA-256, key ids, certificate fingerprints, base64url. Keys travel as PKCS#8 and SubjectPublicKeyInfo
 * so that other tools read them.
 */
final class Crypto {
    private Crypto() {}

    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64U_DECODE = Base64.getUrlDecoder();
    private static final HexFormat HEX = HexFormat.of();
    /** DER of an Ed25519 PKCS#8 PrivateKeyInfo up to the 32-byte seed (RFC 8410). */
    private static final byte[] PKCS8_PREFIX = HEX.parseHex("302e020100300506032b657004220420");
    /** DER of an Ed25519 SubjectPublicKeyInfo up to the 32 key bytes (RFC 8410). */
    private static final byte[] SPKI_PREFIX = HEX.parseHex("302a300506032b6570032100");

    /** A new Ed25519 private key, as PKCS#8. */
    static byte[] newSigningKey() {
        Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(new SecureRandom());
        return concat(PKCS8_PREFIX, k.getEncoded());
    }

    static Ed25519PrivateKeyParameters privateKey(byte[] pkcs8) {
        if (pkcs8.length != PKCS8_PREFIX.length + 32 || !Arrays.equals(pkcs8, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0,
                PKCS8_PREFIX.length)) {
            throw new IllegalStateException("a stored federation signing key is not an Ed25519 PKCS#8 key");
        }
        return new Ed25519PrivateKeyParameters(pkcs8, PKCS8_PREFIX.length);
    }

    /** The raw 32-byte public key of a PKCS#8 private key. */
    static byte[] publicKey(byte[] pkcs8) {
        return privateKey(pkcs8).generatePublicKey().getEncoded();
    }

    /** A key's id: the first 16 bytes of SHA-256 over the raw public key, in lower-case hex. */
    static String keyId(byte[] rawPublicKey) {
        return HEX.formatHex(sha256(rawPublicKey), 0, 16);
    }

    static byte[] sign(byte[] pkcs8, byte[] message) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, privateKey(pkcs8));
        s.update(message, 0, message.length);
        return s.generateSignature();
    }

    static boolean verify(byte[] rawPublicKey, byte[] message, byte[] signature) {
        if (rawPublicKey == null || rawPublicKey.length != 32 || signature == null || signature.length != 64) return false;
        try {
            Ed25519Signer s = new Ed25519Signer();
            s.init(false, new Ed25519PublicKeyParameters(rawPublicKey, 0));
            s.update(message, 0, message.length);
            return s.verifySignature(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static String b64u(byte[] b) {
        return B64U.encodeToString(b);
    }

    /** Decodes base64url; null when it is not. */
    static byte[] fromB64u(String s) {
        if (s == null) return null;
        try {
            return B64U_DECODE.decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** SHA-256 of the DER certificate, lower-case hex: how a certificate is pinned. */
    static String fingerprint(X509Certificate c) {
        try {
            return hex(sha256(c.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    static String publicKeyPem(byte[] raw) {
        return pem("PUBLIC KEY", concat(SPKI_PREFIX, raw));
    }

    /** The raw key of a PEM Ed25519 public key; a clear error when it is not one. */
    static byte[] publicKeyFromPem(String pem) {
        byte[] der = derOf(pem, "PUBLIC KEY");
        if (der.length != SPKI_PREFIX.length + 32 || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0,
                SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("the public key is not an Ed25519 key");
        }
        return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static byte[] derOf(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem == null ? -1 : pem.indexOf(begin);
        int e = b < 0 ? -1 : pem.indexOf(end, b);
        if (e < 0) throw new IllegalArgumentException("no PEM " + type.toLowerCase(java.util.Locale.ROOT) + " found");
        try {
            return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("the PEM " + type.toLowerCase(java.util.Locale.ROOT) + " is not base64", x);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * What a signed JSON statement's signature covers: a context line, then the RFC 8785 form of the
     * statement without its {@code signature} property.
     */
    static byte[] signedBytes(String context, com.fasterxml.jackson.databind.node.ObjectNode statement) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = statement.deepCopy();
        copy.remove("signature");
        return utf8(context + org.entente.stix.StixJson.canonical(copy));
    }

    /** For checked exceptions of the JDK's security API that cannot happen with the algorithms we use. */
    static IllegalStateException unexpected(GeneralSecurityException e) {
        return new IllegalStateException("the JDK's security provider failed: " + e.getMessage(), e);
    }
}
