package org.entente.stix;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads STIX objects one at a time from a bundle (or a TAXII envelope), a JSON Lines file (one object or
 * bundle per line, or simply several top-level JSON values), a plain JSON array of objects, or a single
 * object, without ever holding more than one object in memory.
 *
 * <p>{@link Item#index()} is the 0-based position inside the enclosing bundle (or array); for top-level
 * objects it is 0 when the input holds a single value and the 1-based line on which the object starts
 * when it holds several (JSON Lines).
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link StixFormatException} on malformed input, with the
 * line and column of the fault; the objects already returned stay valid. Not thread-safe.
 */
public final class StixReader implements Iterator<StixReader.Item>, Closeable {

    /** One object read from the input. */
    public record Item(long index, ObjectNode json) {}

    private enum State { ROOT, ROOT_OBJECT, ARRAY, DONE }

    private final JsonParser parser;
    private final ObjectMapper mapper;
    private final Consumer<ObjectNode> onContainer;
    private State state = State.ROOT;
    private Item pending;
    private JsonToken peekedRoot;
    private JsonProcessingException deferred;
    private int rootValues;
    private boolean multipleRoots;

    // The top-level object being read field by field: a bundle's header or a whole single object.
    private ObjectNode rootObject;
    private long rootLine;
    private boolean rootIsBundle;
    private boolean rootIsArray;
    private long arrayIndex;

    private StixReader(JsonParser parser, Consumer<ObjectNode> onContainer) {
        this.parser = parser;
        this.mapper = StixJson.mapper();
        this.onContainer = onContainer;
    }

    /** Opens a reader over {@code in}; closing the reader closes the stream. */
    public static StixReader open(InputStream in) {
        return open(in, header -> { });
    }

    /**
     * Like {@link #open(InputStream)}, and hands each bundle (or TAXII envelope) to {@code onContainer} once it has
     * been read completely: its own properties, with {@code objects} replaced by an empty array. This lets a
     * caller check the bundle itself without the reader ever holding its objects.
     */
    public static StixReader open(InputStream in, Consumer<ObjectNode> onContainer) {
        try {
            return new StixReader(StixJson.factory().createParser(checkEncoding(in)), onContainer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The remaining objects as a sequential stream; closing the stream closes the reader. */
    public Stream<Item> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    /** 1-based line the parser has reached, for messages about the object last returned. */
    public long line() {
        return parser.currentLocation().getLineNr();
    }

    @Override
    public boolean hasNext() {
        if (pending == null && state != State.DONE) {
            try {
                pending = advance();
            } catch (JsonProcessingException e) {
                state = State.DONE;
                throw malformed(e);
            } catch (IOException e) {
                state = State.DONE;
                throw new UncheckedIOException(e);
            }
        }
        return pending != null;
    }

    @Override
    public Item next() {
        if (!hasNext()) throw new NoSuchElementException();
        Item item = pending;
        pending = null;
        return item;
    }

    @Override
    public void close() {
        state = State.DONE;
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Item advance() throws IOException {
        if (deferred != null) {
            JsonProcessingException e = deferred;
            deferred = null;
            throw e;
        }
        while (true) {
            switch (state) {
                case ROOT -> {
                    JsonToken t = peekedRoot != null ? peekedRoot : parser.nextToken();
                    peekedRoot = null;
                    if (t == null) {
                        state = State.DONE;
                        return null;
                    }
                    if (++rootValues > 1) multipleRoots = true;
                    rootLine = parser.currentTokenLocation().getLineNr();
                    if (t == JsonToken.START_OBJECT) {
                        rootObject = mapper.createObjectNode();
                        rootIsBundle = false;
                        state = State.ROOT_OBJECT;
                    } else if (t == JsonToken.START_ARRAY) {
                        rootIsArray = true;
                        arrayIndex = 0;
                        state = State.ARRAY;
                    } else {
                        throw fault("expected a STIX object, bundle or array of objects at the top level, found " + describe(t));
                    }
                }
                case ROOT_OBJECT -> {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_OBJECT) {
                        state = State.ROOT;
                        if (rootIsBundle) {
                            checkBundleType();
                            ObjectNode header = rootObject;
                            rootObject = null;
                            onContainer.accept(header);
                            continue;
                        }
                        ObjectNode single = rootObject;
                        rootObject = null;
                        // Look one value ahead: a second top-level value makes this JSON Lines, indexed by line.
                        // A fault there belongs to the next call: this object is good and is returned first.
                        try {
                            peekedRoot = parser.nextToken();
                            if (peekedRoot != null) multipleRoots = true;
                        } catch (JsonProcessingException e) {
                            deferred = e;
                            multipleRoots = true;
                        }
                        return new Item(multipleRoots ? rootLine : 0, single);
                    }
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals("objects") && value == JsonToken.START_ARRAY && !declaresOtherType()) {
                        rootIsBundle = true;
                        rootIsArray = false;
                        rootObject.putArray("objects");
                        arrayIndex = 0;
                        state = State.ARRAY;
                    } else {
                        rootObject.set(name, (JsonNode) mapper.readTree(parser));
                    }
                }
                case ARRAY -> {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        state = rootIsArray ? State.ROOT : State.ROOT_OBJECT;
                        rootIsArray = false;
                        continue;
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw fault("element " + arrayIndex + " of the objects array is " + describe(t) + ", not a JSON object");
                    }
                    ObjectNode object = mapper.readTree(parser);
                    return new Item(arrayIndex++, object);
                }
                case DONE -> {
                    return null;
                }
            }
        }
    }

    private boolean declaresOtherType() {
        JsonNode type = rootObject.get("type");
        return type != null && !"bundle".equals(type.asText());
    }

    private void checkBundleType() {
        JsonNode type = rootObject.get("type");
        // Without a type this is a TAXII 2.1 envelope ({"more":..,"objects":[..]}), which carries objects the same way.
        if (type != null && !"bundle".equals(type.asText())) {
            throw new StixFormatException("top-level object starting on line " + rootLine
                    + " has an \"objects\" array but its type is " + type + ", not \"bundle\"");
        }
    }

    private StixFormatException fault(String message) {
        JsonLocation at = parser.currentTokenLocation();
        return new StixFormatException(message, at.getLineNr(), at.getColumnNr(), null);
    }

    private static StixFormatException malformed(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String reason = e.getOriginalMessage();
        String what = e instanceof StreamConstraintsException ? "input exceeds a size limit: "
                : reason != null && (reason.contains("UTF-8") || reason.contains("UTF8")) ? "input is not valid UTF-8: "
                : "malformed JSON: ";
        return new StixFormatException(what + firstLine(reason),
                at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr(), e);
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    /**
     * STIX is UTF-8 only. Jackson would silently decode UTF-16 or UTF-32 input, so those are refused here
     * from their byte-order mark or zero-byte pattern, before any object is produced.
     */
    private static InputStream checkEncoding(InputStream in) throws IOException {
        PushbackInputStream pin = new PushbackInputStream(in, 4);
        byte[] head = new byte[4];
        int n = 0;
        while (n < 4) {
            int r = pin.read(head, n, 4 - n);
            if (r < 0) break;
            n += r;
        }
        if (n >= 2) {
            int b0 = head[0] & 0xff, b1 = head[1] & 0xff;
            boolean utf16Bom = (b0 == 0xfe && b1 == 0xff) || (b0 == 0xff && b1 == 0xfe);
            boolean zeros = b0 == 0 || b1 == 0;
            if (utf16Bom || zeros) {
                throw new StixFormatException("input is not UTF-8 (it looks like UTF-16 or UTF-32); STIX JSON must be UTF-8",
                        1, 1, null);
            }
        }
        if (n > 0) pin.unread(head, 0, n);
        return pin;
    }
}
