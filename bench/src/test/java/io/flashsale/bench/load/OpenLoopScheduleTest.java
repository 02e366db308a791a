package io.flashsale.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenLoopScheduleTest
{
    private static final long START = 5_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    void arrivalsAreSpacedByTheRateFromTheStartWhateverHappensToEarlierOnes()
    {
        final OpenLoopSchedule schedule = OpenLoopSchedule.atRate(START, 1_000);

        assertThat(schedule.intendedNanos(0)).isEqualTo(START);
        assertThat(schedule.intendedNanos(10)).isEqualTo(START + 10 * MS);
        assertThat(schedule.intendedNanos(1_000_000)).isEqualTo(START + 1_000_000 * MS);
    }

    @Test
    void dueByCountsTheArrivalsWhoseIntendedTimeHasCome()
    {
        final OpenLoopSchedule schedule = OpenLoopSchedule.atRate(START, 1_000);

        assertThat(schedule.dueBy(START - 1)).isZero();
        assertThat(schedule.dueBy(START)).isEqualTo(1);
        assertThat(schedule.dueBy(START + 10 * MS - 1)).isEqualTo(10);
        assertThat(schedule.dueBy(START + 10 * MS)).isEqualTo(11);
    }

    @Test
    void dueByAgreesWithIntendedTimesAtAwkwardRates()
    {
        final OpenLoopSchedule schedule = OpenLoopSchedule.atRate(START, 3_333.3);
        for (long i = 0; i < 10_000; i += 7)
        {
            final long at = schedule.intendedNanos(i);
            assertThat(schedule.dueBy(at)).as("due at arrival %d's own time", i).isEqualTo(i + 1);
            assertThat(schedule.dueBy(at - 1)).as("due just before arrival %d", i).isLessThanOrEqualTo(i);
        }
    }

    @Test
    void aBurstPutsEveryArrivalAtTheStartInstant()
    {
        final OpenLoopSchedule schedule = OpenLoopSchedule.burst(START);

        assertThat(schedule.intendedNanos(0)).isEqualTo(START);
        assertThat(schedule.intendedNanos(99_999)).isEqualTo(START);
        assertThat(schedule.dueBy(START - 1)).isZero();
        assertThat(schedule.dueBy(START)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRateMustBePositiveAndFinite()
    {
        assertThatThrownBy(() -> OpenLoopSchedule.atRate(START, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenLoopSchedule.atRate(START, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenLoopSchedule.atRate(START, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenLoopSchedule.atRate(START, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
