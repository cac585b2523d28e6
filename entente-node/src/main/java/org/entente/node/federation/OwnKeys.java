package org.entente.node.federation;

import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;
import org.entente.node.db.Database;
import org.entente.node.db.Locks;
import org.entente.node.tls.Pem;
import org.jdbi.v3.core.Handle;

/**
 * The node's own federation identity: its Ed25519 signing keys and its TLS certificate for the
 * federation listener, generated at the first start and kept in the database so that every process
 * serving it is the same node (or the agency's certificate, given as files). Separate from the audit
 * checkpoint key: rotating these never breaks old checkpoints. Retired keys stay, so that what they
 * signed still verifies and an identity signed by one proves the next.
 */
final class OwnKeys {
    /** How long a process keeps the current TLS credential before looking again (another process may rotate). */
    private static final Duration FRESH = Duration.ofSeconds(2);
    static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(825);

    record SigningKey(String id, byte[] privateKey, byte[] publicKey, Instant created, Instant retired) {}

    record TlsCredential(List<X509Certificate> chain, PrivateKey key, String fingerprint) {
        X509Certificate leaf() {
            return chain.get(0);
        }

        String pem() {
            StringBuilder sb = new StringBuilder();
            for (X509Certificate c : chain) {
                try {
                    sb.append(Crypto.pem("CERTIFICATE", c.getEncoded()));
                } catch (java.security.cert.CertificateEncodingException e) {
                    throw new IllegalStateException(e);
                }
            }
            return sb.toString();
        }
    }

    private final Database db;
    private final AuditLog audit;
    private final Path givenCertificate;
    private final Path givenKey;
    private final String host;
    private volatile TlsCredential cached;
    private volatile long cachedAt;

    /**
     * @param givenCertificate the agency's certificate (PEM), or null to generate one
     * @param host the listener's address, named in a generated certificate
     */
    OwnKeys(Database db, AuditLog audit, Path givenCertificate, Path givenKey, String host) {
        this.db = db;
        this.audit = audit;
        this.givenCertificate = givenCertificate;
        this.givenKey = givenKey;
        this.host = host;
    }

    boolean certificateGiven() {
        return givenCertificate != null;
    }

    // ---------------------------------------------------------------- signing keys

    /** The current signing key, created on first use (whichever process asks first). */
    SigningKey signingKey() {
        return currentOrNew(OwnKeys::currentKey, OwnKeys::insertKey);
    }

    /** The current one, or a new one made under the keys' lock (so that concurrent processes make one). */
    private <T> T currentOrNew(java.util.function.Function<Handle, Optional<T>> current,
            java.util.function.Function<Handle, T> make) {
        Optional<T> found = db.jdbi().withHandle(current::apply);
        if (found.isPresent()) return found.get();
        return db.jdbi().inTransaction(h -> {
            Locks.FEDERATION_KEYS.acquire(h);
            return current.apply(h).orElseGet(() -> make.apply(h));
        });
    }

    /** Every signing key the node has had, newest first. */
    List<SigningKey> signingKeys() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, private_key, public_key, created, retired"
                + " FROM federation_key ORDER BY created DESC").map((rs, ctx) -> key(rs)).list());
    }

    private static Optional<SigningKey> currentKey(Handle h) {
        return h.createQuery("SELECT id, private_key, public_key, created, retired FROM federation_key"
                + " WHERE retired IS NULL").map((rs, ctx) -> key(rs)).findOne();
    }

    private static SigningKey key(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime retired = rs.getObject(5, OffsetDateTime.class);
        return new SigningKey(rs.getString(1), rs.getBytes(2), rs.getBytes(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(), retired == null ? null : retired.toInstant());
    }

    private static SigningKey insertKey(Handle h) {
        byte[] pkcs8 = Crypto.newSigningKey();
        byte[] pub = Crypto.publicKey(pkcs8);
        String id = Crypto.keyId(pub);
        OffsetDateTime created = h.createQuery("INSERT INTO federation_key (id, private_key, public_key) VALUES"
                        + " (:id, :k, :p) RETURNING created").bind("id", id).bind("k", pkcs8).bind("p", pub)
                .mapTo(OffsetDateTime.class).one();
        return new SigningKey(id, pkcs8, pub, created.toInstant(), null);
    }

    // ---------------------------------------------------------------- TLS

    /** The certificate and key the listener presents and the client shows: given files, else generated. */
    TlsCredential tls() {
        TlsCredential c = cached;
        if (c != null && System.nanoTime() - cachedAt < FRESH.toNanos()) return c;
        c = givenCertificate != null ? fromFiles() : generated();
        cached = c;
        cachedAt = System.nanoTime();
        return c;
    }

    private TlsCredential fromFiles() {
        List<X509Certificate> chain = Pem.certificates(givenCertificate);
        return new TlsCredential(chain, Pem.privateKey(givenKey), Crypto.fingerprint(chain.get(0)));
    }

    private TlsCredential generated() {
        return currentOrNew(OwnKeys::currentCertificate, this::insertCertificate);
    }

    /** Generated certificates the node has retired, newest first: still shown to a peer not yet told of the new one. */
    List<TlsCredential> retiredCertificates() {
        if (givenCertificate != null) return List.of();
        return db.jdbi().withHandle(h -> h.createQuery("SELECT certificate, private_key FROM federation_certificate"
                + " WHERE retired IS NOT NULL ORDER BY created DESC LIMIT 3").map((rs, ctx) -> credential(rs.getString(1),
                rs.getBytes(2))).list());
    }

    private static Optional<TlsCredential> currentCertificate(Handle h) {
        return h.createQuery("SELECT certificate, private_key FROM federation_certificate WHERE retired IS NULL")
                .map((rs, ctx) -> credential(rs.getString(1), rs.getBytes(2))).findOne();
    }

    private static TlsCredential credential(String pem, byte[] pkcs8) {
        List<X509Certificate> chain = Pem.certificates(pem, "the node's federation certificate");
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new TlsCredential(chain, key, Crypto.fingerprint(chain.get(0)));
        } catch (GeneralSecurityException e) {
            throw Crypto.unexpected(e);
        }
    }

    private TlsCredential insertCertificate(Handle h) {
        String org = h.createQuery("SELECT name FROM organisation WHERE is_own").mapTo(String.class).findOne()
                .orElse("Entente node");
        TlsCredential c = selfSigned(org, host);
        h.createUpdate("INSERT INTO federation_certificate (fingerprint, certificate, private_key) VALUES (:f, :c, :k)")
                .bind("f", c.fingerprint()).bind("c", c.pem()).bind("k", c.key().getEncoded()).execute();
        return c;
    }

    /** A self-signed P-256 certificate for the federation listener: peers pin its fingerprint, not a CA. */
    static TlsCredential selfSigned(String organisation, String host) {
        Instant now = Instant.now();
        return selfSigned(organisation, host, now.minus(Duration.ofHours(1)), now.plus(CERTIFICATE_VALIDITY));
    }

    static TlsCredential selfSigned(String organisation, String host, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            String cn = ("Entente federation " + organisation).replaceAll("[,=+<>#;\"\\\\]", " ");
            X500Name name = new X500Name("CN=" + cn);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(127, new java.security.SecureRandom()), Date.from(notBefore), Date.from(notAfter), name,
                    kp.getPublic());
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            if (host != null && !host.equals("127.0.0.1") && !host.equals("localhost")) {
                boolean ip = host.matches("[0-9.]+") || host.contains(":");
                names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new TlsCredential(List.of(cert), kp.getPrivate(), Crypto.fingerprint(cert));
        } catch (GeneralSecurityException e) {
            throw Crypto.unexpected(e);
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("could not make the federation certificate: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- rotation

    /** What a rotation replaced. */
    record Rotation(SigningKey previous, SigningKey next, String previousFingerprint, String nextFingerprint) {}

    /**
     * Issues a new signing key (and, unless the certificate is the agency's, a new TLS certificate),
     * retiring the current ones; audited in the same transaction.
     */
    Rotation rotate(String actor) {
        SigningKey before = signingKey();
        TlsCredential beforeTls = tls();
        Rotation r = db.jdbi().inTransaction(h -> {
            Locks.FEDERATION_KEYS.acquire(h);
            SigningKey previous = currentKey(h).orElse(before);
            h.createUpdate("UPDATE federation_key SET retired = now() WHERE retired IS NULL").execute();
            SigningKey next = insertKey(h);
            String nextFingerprint = beforeTls.fingerprint();
            if (givenCertificate == null) {
                h.createUpdate("UPDATE federation_certificate SET retired = now() WHERE retired IS NULL").execute();
                nextFingerprint = insertCertificate(h).fingerprint();
            }
            audit.append(h, new AuditEvent("federation-key-rotated", actor, null, AuditEvent.detail(
                    "previous_key", previous.id(), "key", next.id(), "previous_certificate", beforeTls.fingerprint(),
                    "certificate", nextFingerprint)));
            return new Rotation(previous, next, beforeTls.fingerprint(), nextFingerprint);
        });
        cached = null;
        return r;
    }

    // ---------------------------------------------------------------- key managers

    /** Presents whatever credential is current, so that a rotation by another process takes effect here too. */
    X509ExtendedKeyManager keyManager() {
        return new FixedKeyManager(null);
    }

    /** Presents one given credential (announcing a rotation with a certificate the peer still pins). */
    X509ExtendedKeyManager keyManager(TlsCredential credential) {
        return new FixedKeyManager(credential);
    }

    private final class FixedKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "node";
        private final TlsCredential fixed;

        FixedKeyManager(TlsCredential fixed) {
            this.fixed = fixed;
        }

        private TlsCredential credential() {
            return fixed != null ? fixed : tls();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return matches(keyType) ? ALIAS : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return matches(keyType) ? ALIAS : null;
        }

        private boolean matches(String keyType) {
            String alg = credential().key().getAlgorithm();
            return keyType == null || keyType.equalsIgnoreCase(alg) || (keyType.startsWith("EC") && alg.equals("EC"))
                    || (keyType.equals("RSASSA-PSS") && alg.equals("RSA"));
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return credential().chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return credential().key();
        }
    }
}
