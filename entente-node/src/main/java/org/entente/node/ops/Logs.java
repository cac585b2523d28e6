package org.entente.node.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.entente.node.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines on standard error: one JSON object per line for log collectors (with the request id of
 * the request being served, from the MDC, under {@code mdc.request_id}; the access log's fields under
 * {@code kvpList}), or plain text for a person at a terminal.
 */
public final class Logs {
    private Logs() {}

    private static volatile boolean quiet;

    /**
     * Warnings and errors only, from now on and for every node this process starts: for a process that
     * tells its own story on standard output (the federation demo), where a line per request drowns it.
     */
    public static void quiet() {
        quiet = true;
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger("org.entente").setLevel(Level.WARN);
            context.getLogger(HttpServer.ACCESS_LOG).setLevel(Level.WARN);
        }
    }

    public static void configure(boolean json) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        Encoder<ILoggingEvent> encoder;
        if (json) {
            JsonEncoder e = new JsonEncoder();
            e.setWithSequenceNumber(false);
            e.setWithNanoseconds(false);
            e.setWithContext(false);
            e.setWithArguments(false);
            // The message as a person reads it; its parts, where they matter, are in kvpList.
            e.setWithMessage(false);
            e.setWithFormattedMessage(true);
            encoder = e;
        } else {
            PatternLayoutEncoder e = new PatternLayoutEncoder();
            e.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24}%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n");
            encoder = e;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        // A serving node keeps one line per request whatever the packaged defaults say.
        context.getLogger(HttpServer.ACCESS_LOG).setLevel(quiet ? Level.WARN : Level.INFO);
    }
}
