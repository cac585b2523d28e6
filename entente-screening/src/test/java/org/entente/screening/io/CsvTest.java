package org.entente.screening.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The OFAC legacy CSV as Commons CSV reads it, one line at a time. */
class CsvTest {

    @Test
    void fieldsAreUnquotedTrimmedAndTheOfacEmptyMarkIsEmpty() {
        // sdn.csv line 1 as OFAC writes it: -0- for empty, a space before some commas
        assertThat(Csv.fields("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- "))
                .containsExactly("36", "AEROCARIBBEAN AIRLINES", "", "CUBA", "", "");
        assertThat(Csv.fields("7,\"a \"\"quoted\"\" word\" ,x")).containsExactly("7", "a \"quoted\" word", "x");
        assertThat(Csv.fields("")).containsExactly("");
    }

    @Test
    void aBrokenLineNamesTheColumnOfItsFault() {
        assertThatThrownBy(() -> Csv.fields("540,\"COMERCI")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 5: quoted field is never closed");
        assertThatThrownBy(() -> Csv.fields("1,\"abc\" x,2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 9: text after a closing quote");
    }
}
