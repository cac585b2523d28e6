package org.entente.node.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The backup file: a zip archive of {@code manifest.json} and the data it describes, each data entry
 * with its size and SHA-256 in the manifest. A zip keeps its directory at the end, so a truncated
 * file does not open, and every entry carries a CRC besides our digest.
 */
final class BackupFile {
    private BackupFile() {}

    static final ObjectMapper JSON = new ObjectMapper();

    /** Writes into a temporary file beside the target, synced and moved into place only when complete. */
    static final class Writer implements AutoCloseable {
        private final Path target;
        private final boolean replace;
        private final Path partial;
        private final FileChannel channel;
        private final ZipOutputStream zip;
        private boolean finished;

        Writer(Path target, boolean replace) throws IOException {
            this.target = target.toAbsolutePath();
            this.replace = replace;
            if (!replace && Files.exists(this.target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Path dir = this.target.getParent();
            Files.createDirectories(dir);
            this.partial = Files.createTempFile(dir, "." + this.target.getFileName() + ".", ".partial");
            this.channel = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            this.zip = new ZipOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            // Fast deflate: the rows (JSON text mostly) still shrink several times, at a small share of the time.
            zip.setLevel(Deflater.BEST_SPEED);
        }

        interface Body {
            void write(OutputStream out) throws IOException;
        }

        /** Adds an entry; the body must not close the stream. */
        Manifest.Entry write(String name, Meter meter, Body body) throws IOException {
            zip.putNextEntry(new ZipEntry(name));
            Digesting out = new Digesting(zip, meter);
            body.write(out);
            zip.closeEntry();
            return new Manifest.Entry(name, out.bytes, out.hex());
        }

        void finish(byte[] manifest) throws IOException {
            zip.putNextEntry(new ZipEntry(Manifest.ENTRY));
            zip.write(manifest);
            zip.closeEntry();
            zip.finish();
            zip.flush();
            channel.force(true);
            zip.close();
            if (replace) {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            finished = true;
            try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException ignored) {
                // not every file system syncs a directory; the file itself is synced
            }
        }

        long size() throws IOException {
            return Files.size(target);
        }

        @Override
        public void close() {
            if (finished) return;
            try {
                zip.close();
            } catch (IOException ignored) {
                // the partial file goes anyway
            }
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An open backup file whose manifest has been read. */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final ZipFile zip;
        private final Manifest manifest;

        private Reader(Path file, ZipFile zip, Manifest manifest) {
            this.file = file;
            this.zip = zip;
            this.manifest = manifest;
        }

        /**
         * @throws Manifest.Damaged when the file is not a complete backup
         * @throws NoSuchFileException when there is no such file
         */
        static Reader open(Path file) throws IOException {
            if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
            ZipFile zip;
            try {
                zip = new ZipFile(file.toFile());
            } catch (IOException e) {
                throw new Manifest.Damaged("it is not a complete backup file (truncated, or not a backup): " + e.getMessage());
            }
            try {
                ZipEntry m = zip.getEntry(Manifest.ENTRY);
                if (m == null) throw new Manifest.Damaged("it has no " + Manifest.ENTRY);
                byte[] bytes;
                try (InputStream in = zip.getInputStream(m)) {
                    bytes = in.readAllBytes();
                } catch (IOException e) {
                    throw new Manifest.Damaged("its manifest cannot be read: " + e.getMessage());
                }
                return new Reader(file, zip, Manifest.parse(JSON, bytes));
            } catch (RuntimeException e) {
                zip.close();
                throw e;
            }
        }

        Manifest manifest() {
            return manifest;
        }

        /** Reads an entry to its end, checking its size and digest against the manifest. */
        void check(Manifest.Entry e, Meter meter) {
            try (InputStream in = open(e, meter)) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException x) {
                throw damaged(e, x);
            }
        }

        /** The entry's bytes; reading past the end throws when they differ from the manifest's account. */
        InputStream open(Manifest.Entry e, Meter meter) throws IOException {
            ZipEntry z = zip.getEntry(e.name());
            if (z == null) throw new Manifest.Damaged("the entry " + e.name() + " is missing");
            return new Checked(zip.getInputStream(z), e, meter);
        }

        Manifest.Damaged damaged(Manifest.Entry e, IOException x) {
            return new Manifest.Damaged("its entry " + e.name() + " is damaged: " + x.getMessage());
        }

        Path file() {
            return file;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** Counts and hashes what passes through; never closes the zip stream under it. */
    private static final class Digesting extends FilterOutputStream {
        private final MessageDigest digest = sha256();
        private final Meter meter;
        long bytes;

        Digesting(OutputStream out, Meter meter) {
            super(out);
            this.meter = meter;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            counted(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            counted(len);
        }

        private void counted(long n) {
            bytes += n;
            meter.add(n);
        }

        @Override
        public void close() {
            // the entry is closed by the writer
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Checks size and digest when the end of the entry is reached. */
    static final class Checked extends FilterInputStream {
        private final MessageDigest digest = sha256();
        private final Manifest.Entry expected;
        private final Meter meter;
        private long bytes;
        private boolean checked;

        Checked(InputStream in, Manifest.Entry expected, Meter meter) {
            super(in);
            this.expected = expected;
            this.meter = meter;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) end();
            else {
                digest.update((byte) b);
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) end();
            else {
                digest.update(b, off, n);
                counted(n);
            }
            return n;
        }

        private void counted(long n) throws IOException {
            bytes += n;
            meter.add(n);
            if (bytes > expected.bytes()) {
                throw new IOException("longer than the " + expected.bytes() + " bytes the manifest gives");
            }
        }

        private void end() throws IOException {
            if (checked) return;
            checked = true;
            if (bytes != expected.bytes()) {
                throw new IOException(bytes + " bytes where the manifest gives " + expected.bytes());
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            if (!sha.equals(expected.sha256())) {
                throw new IOException("its SHA-256 is " + sha + ", the manifest gives " + expected.sha256());
            }
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("a checked entry is read, not skipped");
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
