package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StixReaderTest {

    static final String URL_A = "{\"type\":\"url\",\"id\":\"url--11111111-1111-4111-8111-111111111111\",\"value\":\"http://a.example/\"}";
    static final String URL_B = "{\"type\":\"url\",\"id\":\"url--22222222-2222-4222-8222-222222222222\",\"value\":\"http://b.example/\"}";

    static List<StixReader.Item> read(String text) {
        return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static List<StixReader.Item> read(InputStream in) {
        List<StixReader.Item> items = new ArrayList<>();
        try (StixReader r = StixReader.open(in)) {
            r.forEachRemaining(items::add);
        }
        return items;
    }

    static List<String> values(List<StixReader.Item> items) {
        return items.stream().map(i -> i.json().get("value").asText()).toList();
    }

    @Test
    void readsABundleObjectByObjectWithPositions() {
        List<StixReader.Item> items = read("{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["
                + URL_A + "," + URL_B + "]}");
        assertThat(items).extracting(StixReader.Item::index).containsExactly(0L, 1L);
        assertThat(values(items)).containsExactly("http://a.example/", "http://b.example/");
    }

    @Test
    void handsOverEachBundlesOwnPropertiesOnceRead() {
        List<String> headers = new ArrayList<>();
        String text = "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["
                + URL_A + "],\"x_note\":\"after\"}\n{\"more\":true,\"objects\":[" + URL_B + "]}";
        try (StixReader r = StixReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), h -> headers.add(h.toString()))) {
            r.forEachRemaining(i -> headers.add(i.json().get("value").asText()));
        }
        assertThat(headers).containsExactly("http://a.example/",
                "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[],\"x_note\":\"after\"}",
                "http://b.example/", "{\"more\":true,\"objects\":[]}");
    }

    @Test
    void acceptsBundlePropertiesAfterTheObjects() {
        assertThat(read("{\"objects\":[" + URL_A + "],\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"type\":\"bundle\"}"))
                .hasSize(1);
    }

    @Test
    void readsATaxiiEnvelope() {
        assertThat(values(read("{\"more\":false,\"objects\":[" + URL_A + "," + URL_B + "]}"))).hasSize(2);
    }

    @Test
    void anObjectsArrayInSomethingElseThanABundleIsRefused() {
        assertThatThrownBy(() -> read("{\"objects\":[" + URL_A + "],\"type\":\"report\"}"))
                .isInstanceOf(StixFormatException.class).hasMessageContaining("not \"bundle\"");
    }

    @Test
    void offersAStreamThatClosesTheReader() {
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        InputStream in = new ByteArrayInputStream(("[" + URL_A + "," + URL_B + "]").getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        try (var objects = StixReader.open(in).stream()) {
            assertThat(objects.map(i -> i.json().get("id").asText())).containsExactly(
                    "url--11111111-1111-4111-8111-111111111111", "url--22222222-2222-4222-8222-222222222222");
        }
        assertThat(closed).isTrue();
    }

    @Test
    void readsASingleObject() {
        List<StixReader.Item> items = read("\n  " + URL_A + "\n");
        assertThat(items).singleElement().satisfies(i -> assertThat(i.index()).isZero());
    }

    @Test
    void readsJsonLinesIndexedByLineNumber() {
        List<StixReader.Item> items = read(URL_A + "\n\n" + URL_B + "\n");
        assertThat(items).extracting(StixReader.Item::index).containsExactly(1L, 3L);
        assertThat(values(items)).containsExactly("http://a.example/", "http://b.example/");
    }

    @Test
    void readsJsonLinesOfBundles() {
        String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[" + URL_A + "]}";
        assertThat(values(read(bundle + "\n" + bundle + "\n" + URL_B))).containsExactly(
                "http://a.example/", "http://a.example/", "http://b.example/");
    }

    @Test
    void readsAPlainArrayOfObjects() {
        assertThat(values(read("[" + URL_A + "," + URL_B + "]"))).hasSize(2);
    }

    @Test
    void keepsUnknownPropertiesNumbersAndOrderExactly() {
        String text = "{\"type\":\"x-custom\",\"id\":\"x-custom--11111111-1111-4111-8111-111111111111\","
                + "\"x_f\":1.10,\"x_big\":123456789012345678901234567890,\"x_e\":1E+2,\"x_nested\":{\"b\":[true,null],\"a\":\"\\u00e9\"}}";
        String written = StixWriter.toJson(read(text).get(0).json());
        assertThat(written).isEqualTo("{\"type\":\"x-custom\",\"id\":\"x-custom--11111111-1111-4111-8111-111111111111\","
                + "\"x_f\":1.10,\"x_big\":123456789012345678901234567890,\"x_e\":1E+2,\"x_nested\":{\"b\":[true,null],\"a\":\"é\"}}");
    }

    @Test
    void malformedJsonIsReportedWithLineAndColumnAfterTheGoodObjects() {
        String text = "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[\n"
                + URL_A + ",\n{\"type\":\"url\" \"value\":1}]}";
        List<StixReader.Item> seen = new ArrayList<>();
        try (StixReader r = StixReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> r.forEachRemaining(seen::add))
                    .isInstanceOf(StixFormatException.class)
                    .hasMessageContaining("malformed JSON")
                    .hasMessageContaining("line 3, column 15")
                    .satisfies(e -> assertThat(((StixFormatException) e).line()).isEqualTo(3));
        }
        assertThat(seen).hasSize(1);
    }

    @Test
    void aBrokenLineInJsonLinesComesAfterTheObjectsBeforeIt() {
        List<StixReader.Item> seen = new ArrayList<>();
        String text = URL_A + "\n" + URL_B + "\n{oops}\n";
        try (StixReader r = StixReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> r.forEachRemaining(seen::add))
                    .isInstanceOf(StixFormatException.class).hasMessageContaining("line 3, column 2");
        }
        assertThat(values(seen)).containsExactly("http://a.example/", "http://b.example/");
    }

    @Test
    void truncatedInputIsMalformed() {
        assertThatThrownBy(() -> read("{\"type\":\"bundle\",\"objects\":[" + URL_A))
                .isInstanceOf(StixFormatException.class).hasMessageContaining("end-of-input");
    }

    @Test
    void duplicatePropertiesAreMalformed() {
        assertThatThrownBy(() -> read("{\"type\":\"url\",\"type\":\"url\"}"))
                .isInstanceOf(StixFormatException.class).hasMessageContaining("Duplicate field 'type'");
    }

    @Test
    void nonObjectElementsAreRefused() {
        assertThatThrownBy(() -> read("{\"type\":\"bundle\",\"objects\":[" + URL_A + ",\"oops\"]}"))
                .isInstanceOf(StixFormatException.class).hasMessageContaining("element 1 of the objects array is a string");
        assertThatThrownBy(() -> read("42"))
                .isInstanceOf(StixFormatException.class).hasMessageContaining("found a number");
    }

    @Test
    void utf16IsRefusedAsNotUtf8() {
        byte[] utf16 = URL_A.getBytes(StandardCharsets.UTF_16);
        assertThatThrownBy(() -> read(new ByteArrayInputStream(utf16)))
                .isInstanceOf(StixFormatException.class).hasMessageContaining("not UTF-8");
        byte[] utf16le = URL_A.getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> read(new ByteArrayInputStream(utf16le)))
                .isInstanceOf(StixFormatException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void invalidUtf8BytesAreReportedAsSuch() {
        byte[] latin1 = "{\"type\":\"url\",\"value\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(new ByteArrayInputStream(latin1)))
                .isInstanceOf(StixFormatException.class).hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("line 1");
    }

    @Test
    void everyTruncationIsEitherCompleteOrAFormatError() {
        byte[] whole = ("{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["
                + URL_A + ",\n" + URL_B + "]}\n" + URL_A + "\n").getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n <= whole.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(whole, n);
            List<StixReader.Item> seen = new ArrayList<>();
            try (StixReader r = StixReader.open(new ByteArrayInputStream(prefix))) {
                r.forEachRemaining(seen::add);
            } catch (StixFormatException expected) {
                assertThat(expected.getMessage()).as("prefix %d", n).isNotBlank();
            }
            assertThat(seen.size()).as("prefix %d", n).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void emptyInputHasNoObjects() {
        assertThat(read("  \n")).isEmpty();
    }

    @Test
    void streamsABundleLargerThanWouldBeWiseToHold() {
        // 300,000 objects (~30 MB) produced on the fly: the reader must hand them out one by one.
        int count = 300_000;
        InputStream generated = new InputStream() {
            final byte[] head = "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[".getBytes(StandardCharsets.UTF_8);
            final byte[] object = (URL_A + ",").getBytes(StandardCharsets.UTF_8);
            final byte[] last = (URL_B + "]}").getBytes(StandardCharsets.UTF_8);
            long pos;
            final long total = head.length + (long) object.length * (count - 1) + last.length;

            @Override
            public int read() {
                if (pos >= total) return -1;
                long p = pos++;
                if (p < head.length) return head[(int) p];
                p -= head.length;
                long body = (long) object.length * (count - 1);
                if (p < body) return object[(int) (p % object.length)];
                return last[(int) (p - body)];
            }
        };
        long n = 0, lastIndex = -1;
        String lastValue = null;
        try (StixReader r = StixReader.open(generated)) {
            while (r.hasNext()) {
                StixReader.Item item = r.next();
                n++;
                lastIndex = item.index();
                lastValue = item.json().get("value").asText();
            }
        }
        assertThat(n).isEqualTo(count);
        assertThat(lastIndex).isEqualTo(count - 1);
        assertThat(lastValue).isEqualTo("http://b.example/");
    }
}
