package org.entente.screening.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.entente.screening.Gender;
import org.junit.jupiter.api.Test;

/** The specimens of ICAO Doc 9303 (Utopia, Anna Maria Eriksson) and damaged copies of them. */
class MrzTest {

    static final String TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    static final String TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6";
    static final String TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";

    @Test
    void readsAPassportZone() {
        Mrz m = Mrz.parse(TD3);
        assertThat(m.format()).isEqualTo("TD3");
        assertThat(m.valid()).as(m.problems().toString()).isTrue();
        assertThat(m.documentCode()).isEqualTo("P");
        assertThat(m.surname()).isEqualTo("ERIKSSON");
        assertThat(m.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(m.documentNumber()).isEqualTo("L898902C3");
        assertThat(m.nationality()).isEqualTo("UTO");
        assertThat(m.birthDate()).isEqualTo(LocalDate.of(1974, 8, 12));
        assertThat(m.sex()).isEqualTo(Gender.FEMALE);
        assertThat(m.expiry()).isEqualTo(LocalDate.of(2012, 4, 15));
    }

    @Test
    void readsTd2AndTd1() {
        Mrz td2 = Mrz.parse(TD2);
        assertThat(td2.format()).isEqualTo("TD2");
        assertThat(td2.valid()).as(td2.problems().toString()).isTrue();
        assertThat(td2.documentNumber()).isEqualTo("D23145890");
        Mrz td1 = Mrz.parse(TD1.replace("\n", " "));
        assertThat(td1.format()).isEqualTo("TD1");
        assertThat(td1.valid()).as(td1.problems().toString()).isTrue();
        assertThat(td1.documentNumber()).isEqualTo("D23145890");
        assertThat(td1.fullName()).isEqualTo("ANNA MARIA ERIKSSON");
        assertThat(td1.birthDate()).isEqualTo(LocalDate.of(1974, 8, 12));
    }

    @Test
    void aBadCheckDigitIsReportedAndTheZoneStillRead() {
        Mrz m = Mrz.parse(TD3.replace("L898902C36", "L898902C37"));
        assertThat(m.valid()).isFalse();
        assertThat(m.problems()).contains("check digit of document number is 7, computed 6");
        assertThat(m.problems()).anySatisfy(p -> assertThat(p).startsWith("check digit of composite"));
        assertThat(m.documentNumber()).isEqualTo("L898902C3");
        assertThat(m.surname()).isEqualTo("ERIKSSON");
    }

    @Test
    void aZoneOfTheWrongShapeIsAClearError() {
        assertThatThrownBy(() -> Mrz.parse(TD3.substring(0, TD3.length() - 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an MRZ has 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 (TD3); got 2 lines of 44, 43");
        assertThatThrownBy(() -> Mrz.parse("")).hasMessage("empty MRZ");
        assertThatThrownBy(() -> Mrz.parse("P<UTO ÉRIKSSON")).hasMessageContaining("characters other than");
    }

    @Test
    void checkDigitsFollowTheStandard() {
        assertThat(Mrz.checkDigit("L898902C3")).isEqualTo(6);
        assertThat(Mrz.checkDigit("740812")).isEqualTo(2);
        assertThat(Mrz.checkDigit("120415")).isEqualTo(9);
    }

    @Test
    void documentNumbersIgnoreSeparatorsAndScoreConfusions() {
        assertThat(DocumentNumbers.normalise("ab 12-345/6")).isEqualTo("AB123456");
        assertThat(DocumentNumbers.compare("AB 123456", "ab-123456").score()).isEqualTo(1.0);
        DocumentNumbers.Match confused = DocumentNumbers.compare("0I23456", "OI23456");
        assertThat(confused.score()).isEqualTo(DocumentNumbers.CONFUSABLE);
        assertThat(confused.rule()).contains("O/0");
        assertThat(DocumentNumbers.compare("1084010", "1084011").score()).isZero();
        // UN KPi.033: " 381310014"
        assertThat(DocumentNumbers.compare("381310014", " 381310014").score()).isEqualTo(1.0);
    }
}
