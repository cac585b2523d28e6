package org.entente.node;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/** Loads the PEM certificate chain and PKCS#8 key that operators usually have, into a key store for Jetty. */
final class Pem {
    private Pem() {}

    static final String KEYSTORE_PASSWORD = "entente-in-memory";

    static KeyStore keyStore(Path certificate, Path key) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> chain =
                    cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificate)));
            if (chain.isEmpty()) throw new IllegalArgumentException("no certificate in " + certificate);
            PrivateKey privateKey = privateKey(key);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("node", privateKey, KEYSTORE_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            return ks;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS files: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate " + certificate + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path key) throws IOException, GeneralSecurityException {
        String text = Files.readString(key, StandardCharsets.US_ASCII);
        if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
            throw new IllegalArgumentException(key + " is a PKCS#1/SEC1 key; convert it to PKCS#8 with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(key + " holds no unencrypted PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        String body = text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }
}
