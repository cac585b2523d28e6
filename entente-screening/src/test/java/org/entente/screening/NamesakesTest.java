package org.entente.screening;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Candidates by identity (issue 12): among thousands of namesakes, a query with a date of birth,
 * nationality or gender reaches those that agree with it, however many there are and wherever
 * they stand in the list.
 */
class NamesakesTest {

    static ScreeningIndex index;
    static final String[] SPELLINGS = {"Mohammed Hussein", "Muhammad Husain", "Mohamed Hussain", "Mohammad Hossein", "محمد حسين"};
    static final int NAMESAKES = 6_000;

    /** 6,000 men named Mohammed Hussein in five spellings, Iraqi, born 1940-2005 but never 1978-1982; then the one sought. */
    @BeforeAll
    static void load() {
        index = new ScreeningIndex();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < NAMESAKES; i++) {
            int year = 1940 + i % 66;
            LocalDate born = LocalDate.of(year >= 1978 && year <= 1982 ? year - 10 : year, 1 + i % 12, 1 + i % 28);
            entries.add(person("n" + i, SPELLINGS[i % SPELLINGS.length], born, "IQ", Gender.MALE));
        }
        index.addAll(entries);
        index.add(person("sought", "Muhammad Husayn", LocalDate.of(1980, 5, 17), "JO", Gender.FEMALE));
        index.add(person("other", "Hassan Hussein", LocalDate.of(1980, 5, 17), "JO", Gender.FEMALE));
    }

    static Entry.Person person(String id, String name, LocalDate born, String nationality, Gender gender) {
        return new Entry.Person(new Listing(id, "national", "Border Police", id), List.of(ListedName.primary(name)),
                List.of(new BirthDate.Full(born)), List.of(), List.of(nationality), gender, List.of());
    }

    private static List<String> ids(Query q) {
        return index.screen(q, 10).stream().map(h -> h.entry().listing().id()).toList();
    }

    @Test
    void theExactDateOfBirthFindsThePersonFirst() {
        Query q = Query.name("Mohamed Hussein").withBirthDate(BirthDate.parse("1980-05-17"));
        assertThat(ids(q)).first().isEqualTo("sought");
        assertThat(index.screen(q, 1).getFirst().match()).isTrue();
        // in any of its scripts and spellings
        assertThat(ids(Query.name("محمد حسين").withBirthDate(BirthDate.parse("1980-05-17")))).first().isEqualTo("sought");
        // and a different given name born the same day is not it: Hassan is not Mohammed
        assertThat(ids(q)).doesNotContain("other");
    }

    @Test
    void aYearOrARangeOfYearsFindsThePersonAmongTheTenBest() {
        assertThat(ids(Query.name("Mohammad Hossein").withBirthDate(BirthDate.parse("1980")))).contains("sought");
        assertThat(ids(Query.name("Mohammad Hossein").withBirthDate(BirthDate.parse("1979..1981")))).contains("sought");
    }

    @Test
    void nationalityAloneOrGenderAloneFindsThePerson() {
        assertThat(ids(Query.name("Mohammed Hussein").withNationality("JO"))).first().isEqualTo("sought");
        assertThat(ids(Query.name("Mohammed Hussein").withGender(Gender.FEMALE))).contains("sought");
    }

    @Test
    void aQueryWithoutFactsFindsNamesakesAsBefore() {
        List<Hit> hits = index.screen(Query.name("Mohammed Hussein"), 10);
        assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.score()).isGreaterThan(0.9));
    }

    @Test
    void theGeneratedNamesakeListIsScreenedWithItsDatesOfBirth() {
        Evaluation.NamesakeReport r = Evaluation.namesakes(30_000, 1_000, 7);
        assertThat(r.latin().queries() + r.script().queries()).isEqualTo(1_000);
        assertThat(r.script().queries()).isGreaterThan(30);
        assertThat(r.latin().r10()).isGreaterThan(0.9);
        assertThat(r.script().r10()).isGreaterThan(0.85);
        assertThat(r.toString()).contains("against the targets");
    }
}
