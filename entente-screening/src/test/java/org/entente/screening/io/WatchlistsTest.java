package org.entente.screening.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.entente.screening.BirthDate;
import org.entente.screening.Entry;
import org.entente.screening.Gender;
import org.entente.screening.ListedName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchlistsTest {

    static Path resource(String p) {
        try {
            return Path.of(WatchlistsTest.class.getResource("/watchlists/" + p).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheUnListWithNamesScriptsDatesAndDocuments() throws IOException {
        AtomicLong progress = new AtomicLong();
        ImportResult r = Watchlists.read(resource("un/consolidated.xml"), (done, total) -> progress.set(done));
        assertThat(r.errors()).isZero();
        assertThat(r.entries()).hasSize(730 + 273);
        assertThat(r.entries().stream().filter(e -> e instanceof Entry.Person)).hasSize(730);
        assertThat(progress.get()).isPositive();
        Entry.Person saddam = (Entry.Person) r.entries().stream().filter(e -> e.listing().reference().equals("IQi.001"))
                .findFirst().orElseThrow();
        assertThat(saddam.names()).contains(ListedName.primary("SADDAM HUSSEIN AL-TIKRITI"),
                new ListedName("صدام حسين التكريتي", ListedName.Quality.ORIGINAL_SCRIPT),
                new ListedName("Abu Ali", ListedName.Quality.LOW));
        assertThat(saddam.birthDates()).containsExactly(BirthDate.parse("1937-04-28"));
        assertThat(saddam.nationalities()).containsExactly("IQ");
        Entry.Person ri = (Entry.Person) r.entries().stream().filter(e -> e.listing().reference().equals("KPi.033"))
                .findFirst().orElseThrow();
        assertThat(ri.documents()).singleElement().satisfies(d -> assertThat(d.number()).isEqualTo("381310014"));
        assertThat(ri.nationalities()).containsExactly("KP");
        long withScript = r.entries().stream().filter(e -> e.names().stream()
                .anyMatch(n -> n.quality() == ListedName.Quality.ORIGINAL_SCRIPT)).count();
        assertThat(withScript).isGreaterThanOrEqualTo(327);
        assertThat(r.entries().stream().filter(e -> e instanceof Entry.Person p && p.birthDates().stream()
                .anyMatch(d -> d instanceof BirthDate.Range))).isNotEmpty();
    }

    @Test
    void readsTheOfacTrioWithAliasesAndRemarks() throws IOException {
        ImportResult r = Watchlists.read(resource("ofac-sdn-2019"));
        assertThat(r.errors()).isZero();
        assertThat(r.entries()).hasSize(7379);
        assertThat(r.entries().stream().filter(e -> e instanceof Entry.Person)).hasSize(3845);
        Entry.Person rouine = (Entry.Person) r.entries().stream().filter(e -> e.listing().id().equals("8100")).findFirst().orElseThrow();
        assertThat(rouine.birthDates()).containsExactly(BirthDate.parse("1975-11-20"));
        assertThat(rouine.nationalities()).containsExactly("TN");
        assertThat(rouine.documents()).anySatisfy(d -> assertThat(d.number()).isEqualTo("P 182583"));
        assertThat(rouine.names()).extracting(ListedName::text).contains("LAZHAR", "SALMANE");
        Entry bnc = r.entries().stream().filter(e -> e.listing().id().equals("306")).findFirst().orElseThrow();
        assertThat(bnc.names()).extracting(ListedName::text).contains("BANCO NACIONAL DE CUBA", "NATIONAL BANK OF CUBA");
        // the same reader is used when given sdn.csv itself
        assertThat(Watchlists.read(resource("ofac-sdn-2019/sdn.csv")).entries()).hasSize(7379);
    }

    @Test
    void aCorruptXmlRecordIsReportedWithItsLineAndTheRestImports(@TempDir Path dir) throws IOException {
        String xml = Files.readString(resource("un/consolidated.xml"));
        // Break the second individual: an unclosed element inside it.
        int second = xml.indexOf("<INDIVIDUAL>", xml.indexOf("<INDIVIDUAL>") + 1);
        int at = xml.indexOf("<GENDER>", second);
        String broken = xml.substring(0, at) + "<GENDER>Male</GENDR>" + xml.substring(xml.indexOf("</GENDER>", at) + 9);
        Path f = dir.resolve("un.xml");
        Files.writeString(f, broken);
        ImportResult r = Watchlists.read(f);
        assertThat(r.entries()).hasSize(730 + 273 - 1);
        assertThat(r.problems()).filteredOn(p -> p.severity() == ImportProblem.Severity.ERROR).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(broken.substring(0, at).lines().count());
            assertThat(p.message()).contains("INDIVIDUAL");
        });
    }

    @Test
    void aCorruptCsvLineIsReportedWithItsPositionAndTheRestImports(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(resource("ofac-sdn-2019/sdn.csv"));
        lines.set(9, lines.get(9).substring(0, 12)); // 540,"COMERCI
        lines.set(19, lines.get(19).replaceFirst("\"(-0-)?,", "\" x,")); // text after the closing quote of the name
        Files.write(dir.resolve("sdn.csv"), lines);
        ImportResult r = Watchlists.read(dir);
        assertThat(r.entries()).hasSize(7377);
        List<ImportProblem> errors = r.problems().stream().filter(p -> p.severity() == ImportProblem.Severity.ERROR).toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).toString()).startsWith(dir.resolve("sdn.csv") + ":10:5: error:").contains("never closed");
        assertThat(errors.get(1).line()).isEqualTo(20);
        assertThat(errors.get(1).column()).isEqualTo(lines.get(19).indexOf("\" x,") + 3);
        assertThat(errors.get(1).message()).contains("after a closing quote");
    }

    @Test
    void jsonLinesWithBadLinesImportsTheGoodOnesAndNamesEachFault(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("national.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"id\":\"p1\",\"kind\":\"person\",\"names\":[\"Usama bin Ladin\",\"أسامة بن لادن\"],\"birth_dates\":[\"1957\"],"
                        + "\"nationalities\":[\"SA\"],\"gender\":\"male\",\"documents\":[{\"type\":\"passport\",\"number\":\"C 123\",\"country\":\"SA\"}],"
                        + "\"reference\":\"R-1\"}",
                "{\"id\":\"p2\",\"names\":[\"X\"],\"birth_dates\":[\"1957-02-30\"]}",
                "{\"id\":\"p3\",\"names\":[\"Y\"],\"nationalities\":[\"QQ\"]}",
                "{\"id\":\"p4\",\"names\":[\"Z\"]",
                "{\"id\":\"d1\",\"kind\":\"document\",\"number\":\"AB123456\",\"type\":\"passport\",\"country\":\"FR\",\"status\":\"stolen\",\"reported\":\"2025-01-02\"}",
                "{\"id\":\"v1\",\"kind\":\"vehicle\",\"plate\":\"AB-123-CD\",\"country\":\"FR\",\"vin\":\"WVWZZZ1JZXW000001\"}",
                "{\"id\":\"p5\",\"names\":[]}"));
        ImportResult r = Watchlists.read(f);
        assertThat(r.entries()).extracting(e -> e.listing().id()).containsExactly("p1", "d1", "v1");
        Entry.Person p1 = (Entry.Person) r.entries().getFirst();
        assertThat(p1.listing().list()).isEqualTo("national");
        assertThat(p1.gender()).isEqualTo(Gender.MALE);
        assertThat(r.problems()).extracting(ImportProblem::line).containsExactly(2L, 3L, 4L, 7L);
        assertThat(r.problems().get(0).message()).contains("1957-02-30");
        assertThat(r.problems().get(1).message()).contains("unknown country code 'QQ'");
        assertThat(r.problems().get(2).message()).contains("not JSON");
        assertThat(r.problems().get(3).message()).contains("no name");
    }

    @Test
    void anUnknownFormatIsAClearError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("list.txt");
        Files.writeString(f, "just some text\n");
        assertThatThrownBy(() -> Watchlists.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown watchlist format");
    }
}
