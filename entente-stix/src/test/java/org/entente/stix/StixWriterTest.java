package org.entente.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StixWriterTest {

    @Test
    void streamsABundleThatReadsBackIdentically() {
        var a = Json.obj("{'type':'url','id':'url--11111111-1111-4111-8111-111111111111','value':'http://a.example/','x_score':1.50}");
        var b = Json.obj("{'type':'url','id':'url--22222222-2222-4222-8222-222222222222','value':'http://b.example/'}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StixWriter w = StixWriter.bundle(out, "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d")) {
            w.write(a);
            w.write(b);
            assertThat(w.count()).isEqualTo(2);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["
                + "{\"type\":\"url\",\"id\":\"url--11111111-1111-4111-8111-111111111111\",\"value\":\"http://a.example/\",\"x_score\":1.50},"
                + "{\"type\":\"url\",\"id\":\"url--22222222-2222-4222-8222-222222222222\",\"value\":\"http://b.example/\"}]}");
        List<StixReader.Item> back = StixReaderTest.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back).extracting(StixReader.Item::json).containsExactly(a, b);
        assertThat(StixValidator.standard().validate(Json.obj(text.replace('"', '\'')))).isEmpty();
    }

    @Test
    void refusesAnInvalidBundleIdAndNonObjects() {
        assertThatThrownBy(() -> StixWriter.bundle(new ByteArrayOutputStream(), "report--5d0092c5-5f74-4287-9642-33f4c354e56d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a bundle identifier");
        try (StixWriter w = StixWriter.bundle(new ByteArrayOutputStream())) {
            assertThatThrownBy(() -> w.write(Json.obj("{'a':[1]}").get("a")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
