package org.entente.node.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.entente.node.Node;
import org.entente.node.common.InvalidInput;
import org.entente.node.config.Key;
import org.entente.node.config.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Runs the node: the web console at /, TAXII 2.1 at /taxii2/, the HTTP API at /api/, health at /health,"
                        + " metrics at /metrics.",
                "Every option can also be set in the configuration file or the environment (see `entente config show`);"
                        + " an option given here wins.",
                "On first start an administrator is created from admin.user and admin.password ($ENTENTE_ADMIN_USER,"
                        + " $ENTENTE_ADMIN_PASSWORD), or with a generated password printed once.",
                "Without --tls-cert/--tls-key the node listens on loopback only."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default: 8420; 0 picks a free one).")
    String port;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to listen on (default: 127.0.0.1). Anything but loopback needs TLS.")
    String host;

    @Option(names = "--demo", description = "Load the OASIS example bundles into collection 'demo' and create a demo user.")
    boolean demo;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM) to serve HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PEM: PKCS#8, RSA or EC) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--max-content-length", paramLabel = "BYTES",
            description = "Largest TAXII envelope accepted (default: 10485760).")
    String maxContentLength;

    @Option(names = "--title", description = "Title shown in TAXII discovery (default: Entente node).")
    String title;

    @Option(names = "--federation-port", paramLabel = "N",
            description = "Port of the federation listener (node-to-node, mutual TLS 1.3; default: 8421).")
    String federationPort;

    @Option(names = "--federation-host", paramLabel = "ADDRESS",
            description = "Address the federation listener listens on (default: 127.0.0.1).")
    String federationHost;

    @Option(names = "--federation-cert", paramLabel = "PEM",
            description = "The agency's certificate for the federation listener (default: a generated self-signed one).")
    Path federationCert;

    @Option(names = "--federation-key", paramLabel = "PEM", description = "Private key of --federation-cert.")
    Path federationKey;

    @Override
    public Integer call() throws InterruptedException {
        Map<Key, String> options = new EnumMap<>(Key.class);
        if (port != null) options.put(Key.PORT, port);
        if (host != null) options.put(Key.HOST, host);
        if (tlsCert != null) options.put(Key.TLS_CERT, tlsCert.toString());
        if (tlsKey != null) options.put(Key.TLS_KEY, tlsKey.toString());
        if (maxContentLength != null) options.put(Key.MAX_CONTENT_LENGTH, maxContentLength);
        if (title != null) options.put(Key.TITLE, title);
        if (federationPort != null) options.put(Key.FEDERATION_PORT, federationPort);
        if (federationHost != null) options.put(Key.FEDERATION_HOST, federationHost);
        if (federationCert != null) options.put(Key.FEDERATION_CERT, federationCert.toString());
        if (federationKey != null) options.put(Key.FEDERATION_KEY, federationKey.toString());
        NodeConfig config;
        try {
            config = node.nodeConfig(options, demo);
        } catch (InvalidInput e) {
            System.err.println("entente serve: " + e.title());
            for (InvalidInput.Problem p : e.problems()) System.err.println("  " + p);
            return 2;
        }
        org.entente.node.ops.Logs.configure(config.jsonLogs());
        Node running;
        try {
            running = Node.start(config);
        } catch (InvalidInput e) {
            System.err.println("entente serve: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("entente serve: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            // Typically the port is taken or the database refused us: say so without a stack trace.
            System.err.println("entente serve: could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "entente-shutdown"));
        System.out.println("Entente node listening on " + running.url());
        System.out.println("  web console:         " + running.url() + "   (sign in with a user below; English, العربية, français)");
        System.out.println("  TAXII 2.1 discovery: " + running.url() + "taxii2/");
        System.out.println("  health:              " + running.url() + "health");
        System.out.println("  federation:          " + running.federationUrl() + " (mutual TLS; entente node identity)");
        for (String notice : running.notices()) System.out.println("  " + notice);
        System.out.println("Stop with Ctrl-C.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
