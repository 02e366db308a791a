package io.flashsale.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CompareReportTest
{
    @Test
    void ratiosArePairedWithinEachRoundBeforeTheMedian()
    {
        // Round 2 ran in a slow stretch for both systems: pairing keeps it from deciding the ratio.
        final List<Double> flashsale = List.of(50_000.0, 20_000.0, 48_000.0);
        final List<Double> bare = List.of(52_000.0, 40_000.0, 50_000.0);
        final List<Double> ratios = CompareReport.ratiosByRound(flashsale, bare);

        assertThat(ratios).hasSize(3);
        assertThat(ratios.get(1)).isCloseTo(0.5, within(1e-9));
        assertThat(CompareReport.median(ratios)).isCloseTo(48_000.0 / 50_000.0, within(1e-9));
        // The ratio of the medians would have paired round 3's flashsale with round 1's bare.
        assertThat(CompareReport.median(flashsale) / CompareReport.median(bare)).isCloseTo(48_000.0 / 50_000.0, within(1e-9));
    }

    @Test
    void aZeroDenominatorCountsAsOneAndUnpairedRoundsAreLeftOut()
    {
        assertThat(CompareReport.ratiosByRound(List.of(300.0, 400.0, 500.0), List.of(0.0, 200.0)))
            .containsExactly(300.0, 2.0);
        assertThat(CompareReport.median(List.of())).isNaN();
        assertThat(CompareReport.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
    }
}
