package org.entente.node.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.entente.node.Node;
import org.entente.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Runs the node: TAXII 2.1 at /taxii2/, health at /health.",
                "On first start an administrator is created from $ENTENTE_ADMIN_USER and $ENTENTE_ADMIN_PASSWORD,"
                        + " or with a generated password printed once.",
                "Without --tls-cert/--tls-key the node listens on loopback only."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions db;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8420", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Anything but loopback needs TLS.")
    String host;

    @Option(names = "--demo", description = "Load the OASIS example bundles into collection 'demo' and create a demo user.")
    boolean demo;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM) to serve HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (unencrypted PKCS#8 PEM) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--max-content-length", paramLabel = "BYTES", defaultValue = "10485760",
            description = "Largest TAXII envelope accepted (default: ${DEFAULT-VALUE}).")
    long maxContentLength;

    @Option(names = "--title", defaultValue = "Entente node", description = "Title shown in TAXII discovery.")
    String title;

    @Override
    public Integer call() throws InterruptedException {
        if ((tlsCert == null) != (tlsKey == null)) {
            System.err.println("entente serve: --tls-cert and --tls-key go together");
            return 2;
        }
        for (Path p : new Path[] {tlsCert, tlsKey}) {
            if (p != null && !Files.isReadable(p)) {
                System.err.println("entente serve: cannot read " + p);
                return 2;
            }
        }
        if (port < 0 || port > 65535) {
            System.err.println("entente serve: --port must be between 0 and 65535");
            return 2;
        }
        if (maxContentLength < 1024) {
            System.err.println("entente serve: --max-content-length must be at least 1024 bytes");
            return 2;
        }
        Node node;
        try {
            node = Node.start(new NodeConfig(host, port, db.location(), demo, tlsCert, tlsKey, maxContentLength, title));
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
            node.close();
            stopped.countDown();
        }, "entente-shutdown"));
        System.out.println("Entente node listening on " + node.url());
        System.out.println("  TAXII 2.1 discovery: " + node.url() + "taxii2/");
        System.out.println("  health:              " + node.url() + "health");
        for (String notice : node.notices()) System.out.println("  " + notice);
        System.out.println("Stop with Ctrl-C.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
