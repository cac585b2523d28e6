package org.entente.node.screening;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.entente.node.testing.Http;

/** A real server-sent-events client: GET with Accept: text/event-stream, events parsed as they arrive. */
final class EventStream implements AutoCloseable {
    /** One event: its type, id and JSON data. */
    record Event(String type, long id, JsonNode data) {}

    final int status;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Stream<String> lines;
    private final Thread reader;

    EventStream(String url, String user, String password) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", Http.basic(user, password)).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
        status = r.statusCode();
        lines = r.body();
        CountDown listening = new CountDown();
        reader = Thread.ofPlatform().daemon().start(() -> read(listening));
        if (status == 200) listening.await();
    }

    private static final class CountDown {
        private final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);

        void done() {
            latch.countDown();
        }

        void await() throws InterruptedException {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("the stream never said it was listening");
        }
    }

    private void read(CountDown listening) {
        String type = null;
        long id = -1;
        StringBuilder data = new StringBuilder();
        try {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith(":")) {
                    listening.done();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && type != null) {
                    events.add(new Event(type, id, ScreeningNode.M.readTree(data.toString())));
                    type = null;
                    id = -1;
                    data.setLength(0);
                }
            }
        } catch (Exception e) {
            // the stream was closed
        }
    }

    /** The next event within the time, or null. */
    Event next(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        lines.close();
        reader.interrupt();
    }
}
