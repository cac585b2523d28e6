package org.entente.node.federation;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** TLS for the tests' own servers and clients (fakes, proxies, strangers): a credential shown, anything trusted. */
final class TestTls {
    private TestTls() {}

    /** TLS 1.3 presenting {@code credential} and trusting whatever the other side shows. */
    static SSLContext context(OwnKeys.TlsCredential credential) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", credential.key(), "x".toCharArray(), credential.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLSv1.3");
        ssl.init(kmf.getKeyManagers(), new TrustManager[] {trustAll()}, null);
        return ssl;
    }

    static X509TrustManager trustAll() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
