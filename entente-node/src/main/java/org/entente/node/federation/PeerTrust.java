package org.entente.node.federation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.entente.node.audit.AuditEvent;
import org.entente.node.audit.AuditLog;

/**
 * Trust by pinned fingerprint, not by certificate authority: in the handshake the leaf certificate's
 * SHA-256 must be one pinned for a peer (and within its validity). The listener's trust manager
 * refuses, and audits, an unknown, revoked or expired client certificate before any request is read;
 * a client's trust manager accepts only the certificates pinned for the peer it calls.
 */
final class PeerTrust {
    private PeerTrust() {}

    /** The listener's side: any peer's pinned certificate. Refusals are audited, at most once a minute per certificate. */
    static X509ExtendedTrustManager listener(Peers peers, AuditLog audit) {
        Cache<String, Boolean> recentlyAudited = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
                .maximumSize(10_000).build();
        return new Pinned() {
            @Override
            void client(X509Certificate[] chain, String address) throws CertificateException {
                if (chain == null || chain.length == 0) throw refuse(null, address, "no client certificate");
                X509Certificate leaf = chain[0];
                String fp = Crypto.fingerprint(leaf);
                Optional<Peers.Peer> peer = peers.byFingerprint(fp);
                if (peer.isEmpty()) {
                    String reason = peers.revokedOwner(fp).map(o -> "certificate of " + peers.name(o)
                            + " is revoked or expired").orElse("certificate is not pinned for any peer");
                    throw refuse(leaf, address, reason);
                }
                String invalid = validity(leaf);
                if (invalid != null) throw refuse(leaf, address, invalid);
            }

            private CertificateException refuse(X509Certificate leaf, String address, String reason) {
                String fp = leaf == null ? "none" : Crypto.fingerprint(leaf);
                if (recentlyAudited.asMap().putIfAbsent(fp + "|" + address + "|" + reason, true) == null) {
                    try {
                        audit.append(new AuditEvent("federation-handshake-refused", AuditEvent.SYSTEM, null,
                                AuditEvent.detail("fingerprint", fp, "subject", leaf == null ? null
                                        : leaf.getSubjectX500Principal().getName(), "client", address, "reason", reason)));
                    } catch (RuntimeException e) {
                        // The refusal stands even when the audit log cannot take the record now.
                    }
                }
                return new CertificateException("federation handshake refused: " + reason);
            }
        };
    }

    /** A client's side: the certificates pinned for one peer. */
    static X509ExtendedTrustManager server(List<String> fingerprints, String peerName) {
        return new Pinned() {
            @Override
            void server(X509Certificate[] chain) throws CertificateException {
                if (chain == null || chain.length == 0) throw new CertificateException(peerName + " showed no certificate");
                String fp = Crypto.fingerprint(chain[0]);
                if (!fingerprints.contains(fp)) {
                    throw new CertificateException("the node at the address of " + peerName + " showed certificate " + fp
                            + ", which is not pinned for it");
                }
                String invalid = validity(chain[0]);
                if (invalid != null) throw new CertificateException(peerName + ": " + invalid);
            }
        };
    }

    static String validity(X509Certificate c) {
        Instant now = Instant.now();
        if (c.getNotAfter().toInstant().isBefore(now)) return "certificate expired on " + c.getNotAfter().toInstant();
        if (c.getNotBefore().toInstant().isAfter(now.plus(Identity.CLOCK_SKEW))) {
            return "certificate is not valid before " + c.getNotBefore().toInstant();
        }
        return null;
    }

    /** Routes the JSSE callbacks to the two checks; everything the pinned side does not do is refused. */
    private abstract static class Pinned extends X509ExtendedTrustManager {
        void client(X509Certificate[] chain, String address) throws CertificateException {
            throw new CertificateException("this side does not accept clients");
        }

        void server(X509Certificate[] chain) throws CertificateException {
            throw new CertificateException("this side does not call servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            client(chain, socket == null || socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            client(chain, engine == null ? null : engine.getPeerHost());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            client(chain, null);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            server(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            server(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            server(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
