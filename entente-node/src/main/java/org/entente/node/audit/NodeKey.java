package org.entente.node.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.entente.node.db.Database;
import org.entente.node.db.NodeSettings;

/**
 * The node's Ed25519 key that signs audit checkpoints. One per database, created by whichever
 * process asks first, so that every process serving the database signs with the same key.
 *
 * <p>It lives in {@code node_setting} as PKCS#8 bytes. Whoever can read that row can sign
 * checkpoints too: the log protects against tampering by people who cannot, and against anyone
 * once a checkpoint has been handed to a partner (docs/AUDIT.md).
 */
public final class NodeKey {

    static final String SETTING = "audit-signing-key";

    /** DER of an Ed25519 SubjectPublicKeyInfo up to the 32 key bytes (RFC 8410). */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private NodeKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The database's key, created now if it has none (first process wins). */
    public static NodeKey of(Database db) {
        return fromPkcs8(new NodeSettings(db.jdbi()).agreed(SETTING, generate()));
    }

    static NodeKey fromPkcs8(byte[] pkcs8) {
        try {
            PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            byte[] seed = ((EdECPrivateKey) priv).getBytes()
                    .orElseThrow(() -> new IllegalStateException("the node's audit key has no key bytes"));
            // The JDK has no public API to derive an Ed25519 public key from the private one.
            byte[] raw = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            return new NodeKey(priv, publicKey(raw));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("the node's audit key (node_setting '" + SETTING + "') is not an Ed25519 PKCS#8 key", e);
        }
    }

    private static byte[] generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
        }
    }

    private static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** X.509 SubjectPublicKeyInfo in PEM, as {@code openssl pkey -pubin} reads it. */
    public String publicKeyPem() {
        return pem(publicKey);
    }

    public static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** Reads the first PEM public key in {@code text}; a clear error when there is no Ed25519 key in it. */
    public static PublicKey readPublicKeyPem(String text) {
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        int b = text == null ? -1 : text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b);
        if (e < 0) {
            throw new IllegalArgumentException("no PEM public key (" + begin + ") found");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException x) {
            throw new IllegalArgumentException("the PEM public key is not an Ed25519 key", x);
        }
    }

    byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign an audit checkpoint: " + e.getMessage(), e);
        }
    }

    static boolean verifies(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm(), e);
        } catch (SignatureException e) {
            return false; // malformed (e.g. truncated) signatures are simply not valid ones
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot verify Ed25519 signatures", e);
        }
    }
}
