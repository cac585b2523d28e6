package org.entente.node.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Errors the web server raises before a request reaches the node (a URI or header too long, a
 * malformed path) answered with the node's error bodies instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        String path = request.getRequestURI();
        ErrorBodies.Body b = ErrorBodies.of(path, code, HttpServer.title(code), describe(code, message), Map.of(), null,
                null);
        baseRequest.setHandled(true);
        response.setStatus(code);
        response.setContentType(b.contentType());
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(b.text().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A request too broken to be read: its path is unknown, so the body is one that both a TAXII
     * client and any other one understand (a TAXII error object is a JSON problem too).
     */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        ErrorBodies.Body b = ErrorBodies.of("/taxii2/", status, HttpServer.title(status), describe(status, reason),
                Map.of(), null, null);
        fields.put(HttpHeader.CONTENT_TYPE, b.contentType());
        return ByteBuffer.wrap(b.text().getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(int code, String message) {
        String m = message == null || message.isBlank() ? HttpServer.title(code) : message;
        return switch (code) {
            case 414 -> "the request URI is too long: " + m;
            case 431 -> "the request headers are too large: " + m;
            default -> m;
        };
    }
}
