package org.entente.screening.names;

import static org.assertj.core.api.Assertions.assertThat;

import org.entente.screening.Kind;
import org.entente.screening.Thresholds;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the name model on real variants from the UN consolidated list (UN) and the
 * OFAC SDN list (OFAC); the entry is named in each test.
 */
class NameMatcherTest {

    private final NameMatcher matcher = new NameMatcher();

    private NameMatch person(String a, String b) {
        return matcher.compare(a, b, Kind.PERSON);
    }

    private static final double MATCH = NameWeights.DEFAULT.equals(NameWeights.DEFAULT) ? 0.80 : 0;

    @Test
    void arabicScriptMeetsItsRomanisationThoughShortVowelsAreNotWritten() {
        // UN IQi.001
        NameMatch m = person("صدام حسين التكريتي", "SADDAM HUSSEIN AL-TIKRITI");
        assertThat(m.score()).isGreaterThan(0.9);
        assertThat(m.explain()).contains("script without short vowels").contains("transliterated");
        // UN QDi.006: أيمن محمد ربيع الظواهري = AIMAN MUHAMMED RABI AL-ZAWAHIRI
        assertThat(person("أيمن محمد ربيع الظواهري", "AIMAN MUHAMMED RABI AL-ZAWAHIRI").score()).isGreaterThan(0.9);
        assertThat(person("محمد", "Mohammed").score()).isGreaterThan(0.9);
    }

    @Test
    void vowelAndDoubledLetterVariantsShareTheirSkeleton() {
        // OFAC 6365: BIN LADIN, Usama / BIN LADEN, Osama
        NameMatch m = person("Usama bin Ladin", "Osama ben Laden");
        assertThat(m.score()).isGreaterThan(0.9);
        assertThat(m.explain()).contains("same consonant skeleton");
        // OFAC 2676: AL-ZAWAHIRI, Ayman / UN QDi.006 AIMAN ... AL-ZAWAHIRI / Ayman Al-Zawahari
        assertThat(person("Ayman al-Zawahari", "AIMAN AL-ZAWAHIRI").score()).isGreaterThan(0.9);
    }

    @Test
    void romanisationsOfOneSoundAreFolded() {
        // OFAC 12606: AL-QADHAFI, Muammar / GADDAFI, Mu'ammar / EL-QADDAFI, Muammar
        assertThat(person("AL-QADHAFI, Muammar", "EL-QADDAFI, Muammar").score()).isGreaterThan(0.9);
        assertThat(person("GADDAFI, Mu'ammar", "AL-QADHAFI, Muammar").score()).isGreaterThan(MATCH);
    }

    @Test
    void theArticleAndItsAssimilatedFormsAreOneArticle() {
        // OFAC 12606: AL-GADDAFI / GADDAFI; UN: ash-, ad-, ar- written apart or glued
        assertThat(person("AL-GADDAFI, Muammar", "GADDAFI, Muammar").score()).isEqualTo(1.0);
        assertThat(person("Abd ar-Rahman", "Abd al-Rahman").score()).isEqualTo(1.0);
        NameMatch glued = person("Ayman Alzawahiri", "AIMAN AL-ZAWAHIRI");
        assertThat(glued.score()).isGreaterThan(0.9);
        assertThat(glued.explain()).contains("article al- ignored");
    }

    @Test
    void abdCompoundsAreOneName() {
        // OFAC 6931 YASIN, Abdul Rahman Said; OFAC 7885 'ABD AL-RAHMAN; OFAC 7329 ABDURRAHMAN; OFAC 7209 Abdulrahman
        String[] forms = {"Abdul Rahman Yasin", "Abd al-Rahman Yasin", "Abdurrahman Yasin", "Abdulrahman Yasin",
                "Abdel Rahman Yasin", "عبد الرحمن ياسين"};
        for (String a : forms) {
            for (String b : forms) {
                assertThat(person(a, b).score()).as(a + " / " + b).isGreaterThan(0.9);
            }
        }
        assertThat(NameAnalyser.analyse("Abdul Rahman Yasin", Kind.PERSON).scored()).hasSize(2);
    }

    @Test
    void namesOnAllahAndAlDinAreOneNameHoweverWritten() {
        // UN TAi.137: RAHMATULLAH KAKAZADA / رحمت الله کاکا زاده / Rehmatullah; UN TAi.111: HAMDULLAH SUNANI / حمد الله سنانی
        assertThat(person("RAHMATULLAH", "رحمت الله").score()).isGreaterThan(0.9);
        assertThat(person("Rehmatullah", "Rahmat Allah").score()).isGreaterThan(0.9);
        assertThat(person("HAMDULLAH SUNANI", "حمد الله سنانی").score()).isGreaterThan(0.9);
        // UN QDi.001: SALAHALDIN / صلاح الدين; OFAC 20226: MAZOUZI, Khayr al-Din / MAZOUZ, Kheireddine
        assertThat(person("MOHAMMED SALAHALDIN", "محمد صلاح الدين").score()).isGreaterThan(0.9);
        assertThat(person("Salah ad-Din", "Salaheddine").score()).isGreaterThan(0.9);
        assertThat(person("MAZOUZI, Khayr al-Din", "MAZOUZ, Kheireddine").score()).isGreaterThan(0.87);
        // and Abdullah stays an Abd compound
        assertThat(person("Abdullah", "عبد الله").score()).isGreaterThan(0.9);
    }

    @Test
    void kunyaIsOneNameWrittenApartOrTogether() {
        // OFAC 6925: AHMED, Abubakar / AHMAD, Abu Bakr
        assertThat(person("AHMED, Abubakar", "AHMAD, Abu Bakr").score()).isGreaterThan(0.9);
        assertThat(person("أبو بكر أحمد", "Abu Bakr Ahmad").score()).isGreaterThan(0.9);
    }

    @Test
    void nasabParticlesNeitherHelpNorHurt() {
        // OFAC 6365: BIN LADIN, Usama bin Muhammad bin Awad / BIN LADIN, Usama
        NameMatch full = person("Usama bin Muhammad bin Awad BIN LADIN", "Osama ibn Muhammad ibn Awad bin Laden");
        assertThat(full.score()).isGreaterThan(0.9);
        assertThat(NameAnalyser.analyse("Usama bin Muhammad bin Awad", Kind.PERSON).scored())
                .extracting(Token::latin).containsExactly("usama", "muhamad", "awad");
    }

    @Test
    void honorificsAreIgnored() {
        // OFAC 2676: AL ZAWAHIRI, Dr. Ayman; UN SOi.008 Sheikh Hassan Dahir Aweys
        NameMatch m = person("AL ZAWAHIRI, Dr. Ayman", "Ayman al-Zawahiri");
        assertThat(m.score()).isEqualTo(1.0);
        assertThat(m.explain()).contains("honorific 'dr' ignored");
        assertThat(person("Sheikh Hassan Dahir Aweys", "Hassan Dahir Aweys").score()).isEqualTo(1.0);
        assertThat(person("Haji Qassem Soleimani", "Qasem Soleimani").score()).isGreaterThan(0.9);
        // UN IRi.019 SEYYED HUSSEIN HOSSEINI, a.k.a. Syed Husein Huseini: the Persian spelling of Sayyid too
        assertThat(person("SEYYED HUSSEIN HOSSEINI", "Syed Husein Huseini").explain()).contains("honorific 'seyyed' ignored");
    }

    @Test
    void wordOrderDoesNotMatterAndMissingMiddleNamesCostLittle() {
        // OFAC writes SURNAME, Given; the UN writes Given SURNAME (UN IQi.001)
        assertThat(person("AL-TIKRITI, Saddam Hussein", "SADDAM HUSSEIN AL-TIKRITI").score()).isEqualTo(1.0);
        double missingMiddle = person("Saddam al-Tikriti", "SADDAM HUSSEIN AL-TIKRITI").score();
        assertThat(missingMiddle).isGreaterThan(MATCH).isLessThan(1.0);
        // a different surname is not a missing middle name
        assertThat(person("Saddam Hussein Khan", "SADDAM HUSSEIN AL-TIKRITI").score()).isLessThan(MATCH);
    }

    @Test
    void initialsStandForNames() {
        // OFAC 6931: TAHA, Abdul Rahman S. / YASIN, Abdul Rahman Said
        NameMatch m = person("Abdul Rahman S. Yasin", "Abdul Rahman Said Yasin");
        assertThat(m.score()).isGreaterThan(0.9);
        assertThat(m.explain()).contains("initial");
    }

    @Test
    void cyrillicAndGreekAreTransliterated() {
        // Russian names come in BGN and other romanisations
        assertThat(person("Владимир Путин", "Vladimir Putin").score()).isEqualTo(1.0);
        assertThat(person("Александр Бортников", "Aleksandr Bortnikov").score()).isEqualTo(1.0);
        assertThat(person("Aleksandr Bortnikov", "Alexander Bortnikov").score()).isGreaterThan(0.9);
        assertThat(person("Αλέξανδρος Παπαδόπουλος", "Alexandros Papadopoulos").score()).isEqualTo(1.0);
    }

    @Test
    void differentPeopleStayApart() {
        assertThat(person("Usama bin Ladin", "Ayman al-Zawahiri").score()).isLessThan(0.3);
        assertThat(person("Muammar Gaddafi", "Saddam Hussein").score()).isLessThan(0.3);
        assertThat(person("Muhammad Ali", "Muhammad Omar").score()).isLessThan(MATCH);
    }

    @Test
    void entityLegalFormsAndStopwordsAreIgnored() {
        // OFAC 306: BANCO NACIONAL DE CUBA; OFAC 768 ETCO INTERNATIONAL COMPANY, LIMITED / OFAC 767 ... LTD.
        assertThat(matcher.compare("ETCO INTERNATIONAL COMPANY, LIMITED", "ETCO International Ltd", Kind.ENTITY).score())
                .isEqualTo(1.0);
        assertThat(matcher.compare("Banco Nacional de Cuba", "BANCO NACIONAL CUBA", Kind.ENTITY).score()).isEqualTo(1.0);
    }

    @Test
    void theCompactFormOfTheIndexScoresExactlyLikeTheFullAnalysis() {
        for (String[] pair : new String[][] {{"Usama bin Ladin", "أسامة بن لادن"}, {"Abdurrahman S. Yasin", "Abd al-Rahman Said Yasin"},
                {"Rehmatullah", "رحمت الله"}, {"AL ZAWAHIRI, Dr. Ayman", "Ayman Alzawahiri"}}) {
            AnalysedName a = NameAnalyser.analyse(pair[0], Kind.PERSON);
            AnalysedName b = NameAnalyser.analyse(pair[1], Kind.PERSON);
            assertThat(matcher.compare(a, NameKeys.decode(NameKeys.encode(b))).score()).as(pair[1])
                    .isEqualTo(matcher.compare(a, b).score());
        }
    }

    @Test
    void arabicLettersRomanisedInSeveralWaysMeetEachOfTheirSpellings() {
        // ض is d in Arabic romanisations and z in Persian and Urdu ones: UN TAi.036 FAIZ / فيض; Ramzan / رمضان
        assertThat(person("FAIZ", "فيض").score()).isGreaterThan(0.9);
        assertThat(person("Ramzan", "رمضان").score()).isGreaterThan(0.9);
        assertThat(person("Ramadan", "رمضان").score()).isGreaterThan(0.9);
        // ظ is z or dh: UN QDi.006 Dhawahri / الظواهري
        assertThat(person("Dhawahri Ayman", "أيمن الظواهري").score()).isGreaterThan(0.9);
        assertThat(person("Zawahiri Ayman", "أيمن الظواهري").score()).isGreaterThan(0.9);
        // ش is the ch of French romanisations: UN QDi.313 DJAMEL AKKACHA / جمال عكاشة; Chaabane / شعبان
        assertThat(person("DJAMEL AKKACHA", "جمال عكاشة").score()).isGreaterThan(0.9);
        assertThat(person("Chaabane", "شعبان").score()).isGreaterThan(0.9);
        // but a class letter is not a wildcard: ض never stands for b; and readings that would make
        // other names of the script (ظاهر Zahir / طاهر Tahir, جمال Jamal / كمال Kamal, ثامر Thamer /
        // سمير Samir) one are not classes
        assertThat(person("Faib", "فيض").score()).isLessThan(MATCH);
        assertThat(person("Tahir Hassan", "ظاهر حسن").score()).isLessThan(Thresholds.PERSON);
        assertThat(person("Kamal Hassan", "جمال حسن").score()).isLessThan(Thresholds.PERSON);
        assertThat(person("Samir Khan", "ثامر خان").score()).isLessThan(Thresholds.PERSON);
        // between two names in the script a class letter meets only itself
        assertThat(person("طاهر حسن", "ظاهر حسن").score()).isLessThan(Thresholds.PERSON);
        assertThat(person("كمال حسن", "جمال حسن").score()).isLessThan(Thresholds.PERSON);
    }

    @Test
    void neighbouringArabicLettersAreNotReadAsOneLatinDigraph() {
        // UN IQi.071 INTISSAR / انتصار: ت then ص is t s, not the ts of a Latin skeleton
        assertThat(person("INTISSAR AL-UBAYDI", "انتصار العبيدي").score()).isGreaterThan(0.9);
        // ذ then ه keeps its h: SELSELAT AL-THAHAB / سلسلة الذهب: the h of الذهب is a letter of its own
        assertThat(NameAnalyser.analyse("الذهب", Kind.PERSON).scored().getFirst().skeleton()).isEqualTo("Zhb");
    }

    @Test
    void aNameWrittenAsOneWordMeetsItWrittenAsTwo() {
        // UN TAi.095 WALIJAN / ولی جان; UN TAi.008 Shamsurrahman / شمس الرحمن
        NameMatch wali = person("WALIJAN", "ولی جان");
        assertThat(wali.score()).isGreaterThan(0.9);
        assertThat(wali.explain()).contains("one word written as two");
        assertThat(person("Shamsurrahman", "شمس الرحمن").score()).isGreaterThan(0.9);
        // UN IQi.050 UGLA ABID SAKR / عكلة عبد صكر: the name model reads عبد صكر as one compound, Abd al-Saqr
        NameMatch ugla = person("UGLA ABID SAKR", "عكلة عبد صكر");
        assertThat(ugla.score()).isGreaterThan(0.9);
        assertThat(ugla.pairs()).anySatisfy(p -> assertThat(p.a()).isEqualTo("ABID SAKR"));
        // UN IQi.004 Abdel Hamid Mahmoud / عابد حامد محمود (عابد is Abid, not Abd, so not a compound there)
        assertThat(person("Abdel Hamid Mahmoud", "عابد حامد محمود").score()).isGreaterThan(0.9);
        // two unrelated words do not make one name because their letters follow each other
        assertThat(person("Alihasan", "Ali Hussein").score()).isLessThan(MATCH);
    }

    @Test
    void abdJoinedToItsNameInArabicScriptIsTheCompound() {
        // UN TAi.075 ABDUL RAQIB TAKHARI / عبدالرقیب تخاری
        NameMatch m = person("ABDUL RAQIB TAKHARI", "عبدالرقیب تخاری");
        assertThat(m.score()).isGreaterThan(0.9);
        assertThat(m.pairs()).anySatisfy(p -> assertThat(p.a()).isEqualTo("ABDUL RAQIB"));
        assertThat(person("Umm Kulthum", "أم كلثوم").score()).isGreaterThan(0.9);
    }

    private NameMatch entity(String a, String b) {
        return matcher.compare(a, b, Kind.ENTITY);
    }

    @Test
    void anAcronymMeetsTheWordsItAbbreviatesButAloneStaysBelowTheThreshold() {
        // OFAC 10441: E.C.A. S.A. is ENSAMBLADORA COLOMBIANA AUTOMOTRIZ S.A.; IRGC; O.I.I.C. (OFAC 16040)
        NameMatch eca = entity("E.C.A. S.A.", "ENSAMBLADORA COLOMBIANA AUTOMOTRIZ S.A.");
        assertThat(eca.score()).isGreaterThan(0.6).isLessThan(Thresholds.ENTITY);
        assertThat(eca.explain()).contains("initials of the words").contains("legal form 'sa' ignored");
        assertThat(entity("IRGC", "ISLAMIC REVOLUTIONARY GUARD CORPS").score()).isGreaterThan(0.6);
        // an ordinary word is not read as the initials of a few words beside two words spelt the same
        assertThat(entity("GOLD STAR TRADING", "GOLD SEA TRANSPORT AGENCY TRADING").score()).isLessThan(Thresholds.ENTITY);
        assertThat(entity("JAHAN TTP", "JAHAN TECH PARS COMPANY").score()).isLessThan(Thresholds.ENTITY);
        // a person's initials are not an acronym
        assertThat(person("IRGC", "Ibrahim Rashid Ghazi Cabdi").pairs()).isEmpty();
        // and initials that spell nothing of the name meet nothing
        assertThat(entity("XYZ", "ISLAMIC REVOLUTIONARY GUARD CORPS").score()).isZero();
    }

    @Test
    void anEntityNameWrittenTogetherMeetsItWrittenApart() {
        // OFAC 15910: VACUUMKARAN / VACUUM KARAN; OFAC 11599: RYUNG SENG / RYUNGSENG TRADING CORPORATION
        assertThat(entity("VACUUMKARAN", "VACUUM KARAN").score()).isGreaterThan(0.95);
        assertThat(entity("RYUNG SENG TRADING CORPORATION", "RYUNGSENG TRADING CORPORATION").score()).isGreaterThan(0.95);
        // between Latin spellings the letters must agree, not only the consonants
        assertThat(person("Aseel MOINIE", "SALMANE").score()).isZero();
    }

    @Test
    void jaroWinklerAgreesWithTheTextbookValues() {
        assertThat(NameMatcher.jaroWinkler("martha", "marhta")).isCloseTo(0.961, org.assertj.core.data.Offset.offset(0.001));
        assertThat(NameMatcher.jaroWinkler("dixon", "dicksonx")).isCloseTo(0.813, org.assertj.core.data.Offset.offset(0.001));
        assertThat(NameMatcher.jaroWinkler("abc", "xyz")).isZero();
        assertThat(NameMatcher.jaroWinkler("a".repeat(100), "a".repeat(100))).isEqualTo(1.0);
    }

    @Test
    void badNamesGiveAClearZeroNotACrash() {
        assertThat(person("", "Saddam").score()).isZero();
        assertThat(person("   ", "Saddam").explain()).contains("empty name");
        assertThat(person("S", "Saddam").score()).isGreaterThan(0.5); // an initial
        String huge = "Muhammad ".repeat(1200);
        NameMatch m = person(huge, "Muhammad");
        assertThat(m.notes()).anySatisfy(n -> assertThat(n).contains("cut to its first"));
        assertThat(person("Саддам Hussein التكريتي", "SADDAM HUSSEIN AL-TIKRITI").score()).isGreaterThan(0.9);
        assertThat(person("ال", "Ali Hassan").score()).isZero(); // a bare article
        assertThat(person("12345", "Ali Hassan").explain()).contains("query has no name words");
    }
}
