package io.flashsale.bench.scenario;

import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.Pacing;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The books checks of a rush fail when the server's books and the crowd's answers disagree. */
class RushChecksTest
{
    private static RushTally tally()
    {
        final RushTally tally = new RushTally();
        tally.reserved = 30;
        tally.paid = 15;
        tally.cancelled = 10;
        tally.walkedAway = 5;
        for (int i = 0; i < 30; i++)
        {
            tally.served.set(i);
        }
        return tally;
    }

    private static ScenarioResult checked(final RushTally tally, final Books books)
    {
        final ScenarioResult result = new ScenarioResult("rush", "test", "test", new LoadSettings("127.0.0.1", 1, 1, 1,
            Pacing.BURST, 0, 1, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1)), new io.flashsale.bench.load.LoadStats());
        Rush.checks(result, tally, books);
        return result;
    }

    @Test
    void booksThatMatchEveryAnswerPass()
    {
        final ScenarioResult result = checked(tally(), new Books(20, 5, 0, 15, 10, 5, 30));

        assertThat(result.checks()).allMatch(Check::passed);
        assertThat(result.passed()).isTrue();
    }

    @Test
    void anAcknowledgedPaymentMissingFromTheBooksFails()
    {
        final ScenarioResult result = checked(tally(), new Books(20, 6, 0, 14, 10, 5, 30));

        assertThat(result.passed()).isFalse();
        assertThat(result.checks()).filteredOn(c -> !c.passed()).extracting(Check::name)
            .contains("every acknowledged payment is on the books (paid)");
    }

    @Test
    void oversellingFails()
    {
        final ScenarioResult result = checked(tally(), new Books(20, 0, 6, 15, 10, 5, 30));

        assertThat(result.passed()).isFalse();
        assertThat(result.checks()).filteredOn(c -> !c.passed()).extracting(Check::name)
            .contains("never oversold: available + reserved + paid == stock");
    }

    @Test
    void answersLostInFlightWidenTheRangeButNoFurther()
    {
        final RushTally tally = tally();
        tally.payUnknown = 2;

        assertThat(checked(tally, new Books(20, 3, 0, 17, 10, 5, 30)).checks())
            .filteredOn(c -> c.name().startsWith("every acknowledged payment")).allMatch(Check::passed);
        assertThat(checked(tally, new Books(20, 2, 0, 18, 10, 5, 30)).checks())
            .filteredOn(c -> c.name().startsWith("every acknowledged payment")).noneMatch(Check::passed);
    }
}
