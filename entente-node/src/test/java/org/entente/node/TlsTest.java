package org.entente.node;

import org.entente.node.testing.Staff;
import org.entente.node.config.NodeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.entente.node.testing.Http;
import org.entente.node.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

    @Test
    void servesHttpsWithTheGivenCertificateAndNothingInClear(@TempDir Path dir) throws Exception {
        Path p12 = dir.resolve("node.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process kt = new ProcessBuilder(keytool, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", p12.toString(), "-storepass", "changeit", "-storetype", "PKCS12").redirectErrorStream(true).start();
        assertThat(kt.waitFor()).as(new String(kt.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(p12.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("node");
        Path certPem = dir.resolve("node.crt");
        Path keyPem = dir.resolve("node.key");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", ks.getKey("node", "changeit".toCharArray()).getEncoded()));

        try (Node node = Node.start(new NodeConfig("127.0.0.1", 0, TestPostgres.freshDatabase(), false, certPem, keyPem,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "TLS node"))) {
            assertThat(node.url()).startsWith("https://127.0.0.1:");
            new Staff(node.services()).create("tls-user", "tls-user-password", true);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("node", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
            Http https = new Http(client, node.url(), Http.basic("tls-user", "tls-user-password"));
            assertThat(https.get("/taxii2/").status()).isEqualTo(200);

            // Over TLS the console's cookies are Secure: a browser never sends them in clear.
            HttpResponse<String> signInPage = client.send(HttpRequest.newBuilder(URI.create(node.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            String formCookie = signInPage.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(formCookie).startsWith("entente_sign_in=").contains("Secure", "HttpOnly");
            String token = formCookie.substring("entente_sign_in=".length(), formCookie.indexOf(';'));
            assertThat(signInPage.body()).contains("value=\"" + token + "\"");
            HttpResponse<String> signedIn = client.send(HttpRequest.newBuilder(URI.create(node.url() + "sign-in"))
                    .header("Cookie", "entente_sign_in=" + token).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + token + "&username=tls-user&password=tls-user-password"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(303);
            assertThat(signedIn.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                    .startsWith("entente_session=").contains("Secure", "HttpOnly").containsIgnoringCase("SameSite=Strict"));

            // The same port does not answer plain HTTP with data.
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String clearUrl = node.url().replace("https://", "http://") + "health";
            boolean answeredInClear;
            try {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(clearUrl)).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                answeredInClear = r.statusCode() == 200 && r.body().contains("ok");
            } catch (java.io.IOException e) {
                answeredInClear = false;
            }
            assertThat(answeredInClear).isFalse();
        }
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutTls() {
        assertThatThrownBy(() -> Node.start(new NodeConfig("0.0.0.0", 0, TestPostgres.freshDatabase(), false, null, null,
                NodeConfig.DEFAULT_MAX_CONTENT_LENGTH, "open node")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without TLS");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
