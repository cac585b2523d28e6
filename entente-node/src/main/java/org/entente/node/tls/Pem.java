package org.entente.node.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM files operators have: certificate chains, and private keys as PKCS#8, PKCS#1 (RSA)
 * or SEC1 (EC), as their agency's PKI issued them; and puts them in a key store for Jetty.
 */
public final class Pem {
    private Pem() {}

    public static final String KEYSTORE_PASSWORD = "entente-in-memory";

    public static KeyStore keyStore(Path certificate, Path key) {
        List<X509Certificate> chain = certificates(certificate);
        PrivateKey privateKey = privateKey(key);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("node", privateKey, KEYSTORE_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate " + certificate + " with key " + key
                    + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate of a PEM file, in order (the chain, leaf first). */
    public static List<X509Certificate> certificates(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return certificates(r, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate of PEM text. */
    public static List<X509Certificate> certificates(String pem, String what) {
        try {
            return certificates(new java.io.StringReader(pem), what);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the certificate of " + what + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Reader r, String what) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    try {
                        out.add(converter.getCertificate(h));
                    } catch (java.security.cert.CertificateException e) {
                        throw new IllegalArgumentException("a certificate in " + what + " is not usable: " + e.getMessage(), e);
                    }
                }
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----) in " + what);
        return out;
    }

    /** The private key of a PEM file, whatever its usual encoding; encrypted keys are refused with advice. */
    public static PrivateKey privateKey(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
                if (o instanceof PEMKeyPair pair) return converter.getKeyPair(pair).getPrivate();
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException(file + " holds an encrypted key; give the node an unencrypted one"
                            + " readable only by its account (e.g. openssl pkey -in KEY -out KEY.plain)");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no PEM private key (-----BEGIN PRIVATE KEY-----, RSA or EC) in " + file);
    }
}
