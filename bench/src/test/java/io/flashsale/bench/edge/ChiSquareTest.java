package io.flashsale.bench.edge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The χ² test the fairness test relies on, against textbook tables and a worked 2×2 example. */
class ChiSquareTest
{
    @Test
    void upperTailMatchesTheTextbookCriticalValues()
    {
        assertThat(ChiSquare.upperTail(1, 3.841)).isCloseTo(0.05, within(1e-4));
        assertThat(ChiSquare.upperTail(1, 6.635)).isCloseTo(0.01, within(1e-5));
        assertThat(ChiSquare.upperTail(1, 10.828)).isCloseTo(0.001, within(1e-6));
        assertThat(ChiSquare.upperTail(3, 7.815)).isCloseTo(0.05, within(1e-4));
        assertThat(ChiSquare.upperTail(10, 23.209)).isCloseTo(0.01, within(1e-5));
    }

    @Test
    void equalProportionsOnGroupsOfVeryDifferentSizeAreConsistent()
    {
        final ChiSquare.Result result = ChiSquare.independence(new long[] {1_000, 100}, new long[] {10_000, 1_000});

        assertThat(result.statistic()).isCloseTo(0, within(1e-9));
        assertThat(result.pValue()).isCloseTo(1, within(1e-9));
    }

    @Test
    void aQuietGroupAdmittedTwiceAsOftenIsRejected()
    {
        // 10 % of 10,000 against 20 % of 1,000: expected 1,090.9 and 109.1 successes;
        // χ² = 8,264.5 × (1/1,090.9 + 1/8,909.1 + 1/109.1 + 1/890.9) = 93.537.
        final ChiSquare.Result result = ChiSquare.independence(new long[] {1_000, 200}, new long[] {10_000, 1_000});

        assertThat(result.statistic()).isCloseTo(93.537, within(1e-3));
        assertThat(result.pValue()).isLessThan(1e-20);
    }

    @Test
    void withinMomentsOfDifferentProbabilityTheStratifiedTestSeesNoDifferenceWhereThePooledOneDoes()
    {
        // At moment 1 p is 0.1, at moment 2 it is 0.9; group A mostly came at moment 1, B at moment 2.
        final long[][] strata = {{100, 1_000, 10, 100}, {90, 100, 900, 1_000}};

        assertThat(ChiSquare.independence(new long[] {190, 910}, new long[] {1_100, 1_100}).pValue()).isLessThan(1e-100);
        assertThat(ChiSquare.mantelHaenszel(strata).pValue()).isGreaterThan(0.5);
    }

    @Test
    void aGroupFavouredAtEveryMomentIsRejectedByTheStratifiedTest()
    {
        final long[][] strata = {{100, 1_000, 20, 100}, {450, 1_000, 60, 100}, {900, 1_000, 99, 100}};

        assertThat(ChiSquare.mantelHaenszel(strata).pValue()).isLessThan(0.001);
    }
}
