package org.entente.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.entente.screening.documents.Mrz;
import org.entente.screening.io.Watchlists;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScreeningIndexTest {

    static ScreeningIndex index;

    static Path resource(String p) {
        try {
            return Path.of(ScreeningIndexTest.class.getResource("/watchlists/" + p).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void load() throws IOException {
        index = new ScreeningIndex();
        index.addAll(Watchlists.read(resource("un/consolidated.xml")).entries());
        index.addAll(Watchlists.read(resource("ofac-sdn-2019")).entries());
    }

    private static Hit first(Query q) {
        List<Hit> hits = index.screen(q, 5);
        assertThat(hits).isNotEmpty();
        return hits.getFirst();
    }

    @Test
    void findsAPersonUnderAnotherRomanisation() {
        Hit h = first(Query.name("Osama ben Laden"));
        assertThat(h.entry().names()).extracting(ListedName::text).contains("BIN LADIN, Usama bin Muhammad bin Awad");
        assertThat(h.match()).isTrue();
        assertThat(h.explain()).contains("listed on ofac-sdn by US Treasury OFAC, reference SDN 6365");
    }

    @Test
    void findsTheLatinEntryFromArabicScript() {
        Hit h = first(Query.name("صدام حسين التكريتي"));
        assertThat(h.entry().listing().reference()).isEqualTo("IQi.001");
        assertThat(h.match()).isTrue();
    }

    @Test
    void aContradictingBirthDateLowersTheScoreAndAMatchingOneRaisesIt() {
        Query q = Query.name("Saddam al-Tikriti").withKind(Kind.PERSON);
        double plain = first(q).score();
        Hit born = first(q.withBirthDate(BirthDate.parse("1937-04-28")));
        Hit other = index.screen(q.withBirthDate(BirthDate.parse("1990")), 5).stream()
                .filter(x -> x.entry().listing().reference().equals("IQi.001")).findFirst().orElseThrow();
        assertThat(born.score()).isGreaterThan(plain);
        assertThat(born.explain()).contains("date of birth 1937-04-28 matches");
        assertThat(other.score()).isLessThan(plain);
        assertThat(other.explain()).contains("differs");
    }

    @Test
    void findsAPersonByPassportNumberAloneEvenWithAnOForAZero() {
        // UN KPi.033 RI WON HO, passport 381310014
        Hit h = first(Query.name(null).withDocument("381310014"));
        assertThat(h.entry().listing().reference()).isEqualTo("KPi.033");
        assertThat(h.score()).isEqualTo(1.0);
        Hit o = first(Query.name(null).withDocument("38131OO14"));
        assertThat(o.entry().listing().reference()).isEqualTo("KPi.033");
        assertThat(o.score()).isLessThan(1.0);
        assertThat(o.explain()).contains("O/0");
    }

    @Test
    void screensAnMrzAndStillScreensItWithABadCheckDigit() {
        ScreeningIndex local = new ScreeningIndex();
        Listing l = new Listing("d1", "national", "Police", "R-77");
        local.add(new Entry.TravelDocument(l, "L898902C3", "passport", "", Entry.TravelDocument.Status.STOLEN,
                LocalDate.of(2024, 5, 1)));
        String mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C37UTO7408122F1204159ZE184226B<<<<<10";
        Mrz m = Mrz.parse(mrz);
        assertThat(m.valid()).isFalse();
        Hit h = local.screen(Query.name(null).withMrz(m), 3).getFirst();
        assertThat(h.match()).isTrue();
        assertThat(h.explain()).contains("stolen").contains("reported 2024-05-01");
    }

    @Test
    void findsVehiclesByPlateOrVin() {
        ScreeningIndex local = new ScreeningIndex();
        local.add(new Entry.Vehicle(new Listing("v1", "national", "Police", "V-1"), "AB-123-CD", "FR", "WVWZZZ1JZXW000001"));
        assertThat(local.screen(Query.name(null).withVehicle("ab 123 cd"), 3)).singleElement()
                .satisfies(h -> assertThat(h.explain()).contains("plate"));
        assertThat(local.screen(Query.name(null).withVehicle("WVWZZZ1JZXW000001"), 3)).singleElement()
                .satisfies(h -> assertThat(h.match()).isTrue());
    }

    @Test
    void removalGivesItsSpaceBackWhileQueriesStayRight() throws Exception {
        // 12,000 persons of the namesake list; 9,000 removed while another thread screens the kept
        // ones and the removed ones; compaction from 1,000 dead entries on
        List<Entry> persons = Namesakes.generate(12_000, 5).entries();
        ScreeningIndex local = new ScreeningIndex();
        local.compactAt = 1_000;
        local.addAll(persons);
        local.compact();
        ScreeningIndex.Size before = local.sizeOfStructures();
        List<Entry> kept = persons.subList(9_000, 12_000);
        java.util.Set<String> removedDone = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> reader = pool.submit(() -> {
                int checked = 0;
                for (int i = 0; i < 3_000; i++) {
                    Entry.Person p = (Entry.Person) kept.get(i);
                    java.util.Set<String> goneBefore = java.util.Set.copyOf(removedDone);
                    List<Hit> hits = local.screen(Query.name(p.names().getFirst().text()).withBirthDate(p.birthDates().getFirst())
                            .withNationality(p.nationalities().getFirst()), 10);
                    assertThat(hits).extracting(h -> h.entry().listing().id()).contains(p.listing().id());
                    assertThat(hits).noneMatch(h -> goneBefore.contains(h.entry().listing().id()));
                    checked++;
                }
                return checked;
            });
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 9_000; i++) {
                    assertThat(local.remove(Namesakes.LIST, persons.get(i).listing().id())).isTrue();
                    removedDone.add(persons.get(i).listing().id());
                }
            });
            writer.get();
            assertThat(reader.get()).isEqualTo(3_000);
        } finally {
            pool.shutdown();
        }
        ScreeningIndex.Size after = local.sizeOfStructures();
        assertThat(local.size()).isEqualTo(3_000);
        // compacted (at the last quarter threshold passed; at most a quarter of the slots still dead)
        assertThat(after.slots()).isLessThanOrEqualTo(4_000);
        assertThat(after.names()).isLessThan(before.names() / 2);
        assertThat(after.postings()).isLessThan(before.postings() / 2);
        Entry.Person gone = (Entry.Person) persons.getFirst();
        assertThat(local.screen(Query.name(gone.names().getFirst().text()).withBirthDate(gone.birthDates().getFirst()), 50))
                .extracting(h -> h.entry().listing().id()).doesNotContain(gone.listing().id());
        // and what is added after a compaction is found like the rest
        local.add(gone);
        assertThat(local.screen(Query.name(gone.names().getFirst().text()).withBirthDate(gone.birthDates().getFirst())
                .withNationality(gone.nationalities().getFirst()), 10)).extracting(h -> h.entry().listing().id()).contains(gone.listing().id());
    }

    @Test
    void entriesCanBeAddedAndRemovedWhileQueriesRun() throws Exception {
        ScreeningIndex local = new ScreeningIndex();
        local.addAll(Watchlists.read(resource("un/consolidated.xml")).entries());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> reader = pool.submit(() -> {
                int found = 0;
                for (int i = 0; i < 2000; i++) {
                    found += local.screen(Query.name("Ayman al-Zawahiri"), 3).isEmpty() ? 0 : 1;
                }
                return found;
            });
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    local.add(new Entry.Person(new Listing("x" + i, "national", "", ""), List.of(ListedName.primary("Person " + letters(i))),
                            List.of(), List.of(), List.of(), Gender.UNKNOWN, List.of()));
                    if (i % 2 == 0) {
                        local.remove("national", "x" + i);
                    }
                }
            });
            writer.get();
            assertThat(reader.get()).isEqualTo(2000);
        } finally {
            pool.shutdown();
        }
        assertThat(local.size()).isEqualTo(1003 + 1000);
        assertThat(local.screen(Query.name("Person " + letters(1)), 1).getFirst().entry().listing().id()).isEqualTo("x1");
        assertThat(local.screen(Query.name("Person " + letters(2)), 1).getFirst().entry().listing().id()).isNotEqualTo("x2");
    }

    @Test
    void aNameOfCommonWordsOnlyFindsTheNamesHoldingBothWords() {
        // Both words in more than ScreeningIndex.COMMON names: the query takes the common-word
        // path, which walks the postings of the two words together and stops at the candidates.
        ScreeningIndex local = new ScreeningIndex();
        List<Entry> es = new java.util.ArrayList<>();
        int n = ScreeningIndex.COMMON + 100;
        for (int i = 0; i < n; i++) {
            es.add(person("w" + i, "Wojciechowski " + letters(i)));
            es.add(person("p" + i, "Przybyszewski " + letters(i)));
            if (i % 700 == 699) {
                es.add(person("both" + i, "Wojciechowski Przybyszewski"));
            }
        }
        local.addAll(es);
        local.remove("national", "both699");
        List<Hit> hits = local.screen(Query.name("Przybyszewski Wojciechowski"), 10);
        assertThat(hits).extracting(h -> h.entry().listing().id()).containsExactlyInAnyOrder("both1399", "both2099");
        assertThat(hits).allSatisfy(h -> assertThat(h.score()).isEqualTo(1.0));
    }

    @Test
    void anExactOneWordAliasFindsItsEntryAmongManyNamesOfTheSameSkeleton() {
        // OFAC lists 'SORAYA' as a nickname of one person; dozens of names share its skeleton (s-r).
        ScreeningIndex local = new ScreeningIndex();
        String[] alike = {"Sara", "Sarah", "Sora", "Surya", "Saraya", "Soraia", "Sari", "Sera", "Sire", "Sur", "Asra", "Serra"};
        for (int i = 0; i < 200; i++) local.add(person("alike" + i, alike[i % alike.length] + " " + letters(i)));
        local.add(new Entry.Person(new Listing("11349", "ofac-sdn", "", ""), List.of(ListedName.primary("GARCIA ALBERT, Maria Remedios"),
                new ListedName("SORAYA", ListedName.Quality.LOW)), List.of(), List.of(), List.of(), Gender.UNKNOWN, List.of()));
        Hit best = local.screen(Query.name("SORAYA"), 10).getFirst();
        assertThat(best.entry().listing().id()).isEqualTo("11349");
        assertThat(best.score()).isEqualTo(1.0);
    }

    @Test
    void aNameListedOnlyInArabicScriptIsFoundAmongManyLatinNamesakes() {
        // UN TAi.031 lists MOHAMMAD AHMADI with his name in Persian script, محمد احمدی. With a hundred
        // Latin MOHAMMAD AHMAD... names spelt as asked, the Persian one must still be a candidate.
        ScreeningIndex local = new ScreeningIndex();
        for (int i = 0; i < 100; i++) {
            local.add(person("latin" + i, "Mohammad Ahmadi " + letters(i)));
        }
        local.add(person("script", "محمد احمدی"));
        List<Hit> hits = local.screen(Query.name("MOHAMMAD AHMADI"), 10);
        assertThat(hits).extracting(h -> h.entry().listing().id()).contains("script");
        assertThat(hits.stream().filter(h -> h.entry().listing().id().equals("script")).findFirst().orElseThrow().score())
                .isGreaterThan(0.9);
    }

    @Test
    void aNearSkeletonRanksBelowTheSameSkeletonAmongCandidates() {
        // OSAMA (s-m) must meet USAMA (s-m) before ISMAIL (s-m-l, one letter more): when both kinds
        // crowd the candidates, the partial name must not lose its entry to near namesakes.
        ScreeningIndex local = new ScreeningIndex();
        for (int i = 0; i < 200; i++) {
            local.add(person("near" + i, "Ismail " + letters(i)));
        }
        local.add(person("usama", "Usama Kuni Ibrahim"));
        List<Hit> hits = local.screen(Query.name("Osama Milad"), 10);
        assertThat(hits.getFirst().entry().listing().id()).isEqualTo("usama");
    }

    @Test
    void anEntityIsFoundByItsNameWrittenTogetherAndByItsInitials() {
        // OFAC 15910 lists VACUUMKARAN and VACUUM KARAN; OFAC 10441 E.C.A. S.A. for ENSAMBLADORA
        // COLOMBIANA AUTOMOTRIZ. Among many entities sharing a word, the keys of the whole name find them.
        ScreeningIndex local = new ScreeningIndex();
        for (int i = 0; i < 200; i++) {
            local.add(entity("karan" + i, letters(i) + " KARAN"));
            local.add(entity("auto" + i, letters(i) + " COLOMBIANA AUTOMOTRIZ S.A."));
        }
        local.add(entity("15910", "VACUUM KARAN"));
        local.add(entity("wing", "ROYAL WING")); // the w inside ROYALWING is a glide: the key is of the joined spelling
        local.add(entity("10441", "ENSAMBLADORA COLOMBIANA AUTOMOTRIZ S.A."));
        assertThat(local.screen(Query.name("VACUUMKARAN").withKind(Kind.ENTITY), 10).getFirst().entry().listing().id())
                .isEqualTo("15910");
        assertThat(local.screen(Query.name("ROYALWING").withKind(Kind.ENTITY), 10).getFirst().entry().listing().id())
                .isEqualTo("wing");
        assertThat(local.screen(Query.name("E.C.A. S.A.").withKind(Kind.ENTITY), 10))
                .extracting(h -> h.entry().listing().id()).contains("10441");
    }

    private static Entry entity(String id, String name) {
        return new Entry.Entity(new Listing(id, "national", "", ""), List.of(ListedName.primary(name)), List.of(), List.of());
    }

    private static Entry person(String id, String name) {
        return new Entry.Person(new Listing(id, "national", "", ""), List.of(ListedName.primary(name)), List.of(), List.of(),
                List.of(), Gender.UNKNOWN, List.of());
    }

    /** A made-up word per number: names are letters. */
    private static String letters(int i) {
        StringBuilder b = new StringBuilder("Zor");
        do {
            b.append("bcdfgklmnprstvz".charAt(i % 15)).append("aeiou".charAt((i / 15) % 5));
            i /= 15;
        } while (i > 0);
        return b.toString();
    }

    @Test
    void badQueriesAreClearErrors() {
        assertThatThrownBy(() -> Query.name("x").withNationality("QQ")).hasMessageContaining("unknown country code 'QQ'");
        assertThatThrownBy(() -> index.screen(Query.name("x"), 0)).hasMessageContaining("limit");
        assertThat(index.screen(Query.name(""), 5)).isEmpty();
        assertThat(index.screen(Query.name("ب"), 5)).allSatisfy(h -> assertThat(h.match()).isFalse());
        assertThat(index.screen(Query.name("Zawahiri ".repeat(2000)), 5)).isNotEmpty();
    }
}
