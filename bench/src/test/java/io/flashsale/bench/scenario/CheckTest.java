package io.flashsale.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.bench.scenario.Check.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks' three verdicts, and the shared never-oversold check against what the crowd was told. */
class CheckTest
{
    private static final Check PASSED = Check.of("a", true, "");
    private static final Check FAILED = Check.of("b", false, "");
    private static final Check UNJUDGED = Check.notJudged("c", "too short");

    @Test
    void aRunPassesOnlyWhenEveryCheckWasJudgedAndPassed()
    {
        assertThat(Check.overall(List.of(PASSED, PASSED))).isEqualTo(Verdict.PASS);
        assertThat(Check.overall(List.of(PASSED, UNJUDGED))).isEqualTo(Verdict.NOT_JUDGED);
        assertThat(Check.overall(List.of(UNJUDGED, FAILED, PASSED))).isEqualTo(Verdict.FAIL);
        assertThat(UNJUDGED.passed()).isFalse();
        assertThat(UNJUDGED.label()).isEqualTo("NOT JUDGED");
    }

    @Test
    void aReportSaysWhetherACheckWasJudged() throws Exception
    {
        final JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(UNJUDGED));

        assertThat(json.path("verdict").asText()).isEqualTo("NOT_JUDGED");
        assertThat(json.path("passed").asBoolean(true)).isFalse();
        assertThat(json.path("detail").asText()).isEqualTo("too short");
    }

    @Test
    void booksThatHoldEveryAcknowledgedUnitAndNoOtherAreNeverOversold()
    {
        // 10 units: 3 held, 2 paid, 4 cancelled and 1 expired came back; 10 reservations ever.
        final Books books = new Books(10, 5, 3, 2, 4, 1, 9);

        assertThat(books.neverOversold(10, 0).passed()).isTrue();
        assertThat(books.neverOversold(9, 1).passed()).as("one purchase went unanswered and did reserve").isTrue();
    }

    @Test
    void booksWithAReservationNobodyWasToldOfFail()
    {
        final Books books = new Books(10, 5, 3, 2, 4, 1, 9);

        final Check check = books.neverOversold(9, 0);

        assertThat(check.passed()).isFalse();
        assertThat(check.detail()).contains("10 units ever reserved on the books, 9 acknowledged to the crowd");
    }

    @Test
    void booksMissingAnAcknowledgedReservationFail()
    {
        assertThat(new Books(10, 5, 3, 2, 4, 1, 9).neverOversold(11, 0).passed()).isFalse();
    }

    @Test
    void booksThatDoNotBalanceFailWhateverTheCrowdWasTold()
    {
        // available + reserved + paid = 12 > stock 10, though every unit was acknowledged.
        final Books oversold = new Books(10, 2, 6, 4, 0, 0, 10);

        assertThat(oversold.neverOversold(10, 0).passed()).isFalse();
    }
}
