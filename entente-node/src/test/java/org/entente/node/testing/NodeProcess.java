package org.entente.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An `entente` command run as a separate operating-system process, as an operator would run it.
 * The process gets only the settings the test gives: every ENTENTE_ variable of the test's own
 * environment is removed, and its home folder is an empty one (no ~/.entente/entente.conf).
 */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);

    private NodeProcess(Process process) {
        this.process = process;
        read(process.getInputStream(), output, true);
        read(process.getErrorStream(), errors, false);
    }

    private void read(InputStream stream, List<String> into, boolean awaited) {
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                    if (awaited) lines.offer(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    public static NodeProcess start(Map<String, String> env, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String home;
        try {
            home = Files.createTempDirectory("entente-process-home").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-Duser.home=" + home, "-cp",
                System.getProperty("java.class.path"), "org.entente.node.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("ENTENTE_"));
        pb.environment().put("HOME", home);
        pb.environment().putAll(env);
        try {
            return new NodeProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a line of standard output starting with the prefix and returns it. */
    public String awaitLine(String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) return line;
            if (line == null && !process.isAlive() && lines.isEmpty()) break;
        }
        throw new AssertionError("no line starting with '" + prefix + "' within " + seconds + " s; output:\n" + output());
    }

    public int waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) throw new AssertionError("still running: " + output());
        Thread.sleep(100);
        return process.exitValue();
    }

    /** The operating-system process, for its pid and its children. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Standard output and standard error, one after the other. */
    public String output() {
        List<String> all = new ArrayList<>();
        synchronized (output) {
            all.addAll(output);
        }
        synchronized (errors) {
            all.addAll(errors);
        }
        return String.join("\n", all);
    }

    /** The lines written to standard error so far (the log). */
    public List<String> errorLines() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
