package io.flashsale.http.edge;

import io.flashsale.engine.sale.SaleView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeAdmissionTest
{
    private static final SaleView SALE = new SaleView(1, "s", 100, 0, Long.MAX_VALUE, 1, 60_000);

    @Test
    void everyAttemptIsAdmittedUntilTheCorePushesAProbability()
    {
        final EdgeAdmission admission = new EdgeAdmission(true);
        for (int i = 0; i < 1_000; i++)
        {
            assertThat(admission.admit(SALE)).isTrue();
        }
        assertThat(admission.probability(SALE)).isEqualTo(1.0);
    }

    @Test
    void attemptsDrawWithThePushedProbabilityAndAreReportedOnce()
    {
        final EdgeAdmission admission = new EdgeAdmission(true);
        admission.onAdmission(1, 0.25);
        int admitted = 0;
        final int attempts = 40_000;
        for (int i = 0; i < attempts; i++)
        {
            admitted += admission.admit(SALE) ? 1 : 0;
        }
        // 0.25 of 40,000 draws: the standard deviation is about 87; 1,000 is more than 11 of them.
        assertThat(admitted).isBetween(9_000, 11_000);
        assertThat(admission.stats(SALE).admitted()).isEqualTo(admitted);
        assertThat(admission.stats(SALE).shed()).isEqualTo(attempts - admitted);

        final List<long[]> reports = new ArrayList<>();
        admission.reportTo((saleId, n, online) -> reports.add(new long[] {saleId, n}));
        assertThat(reports).containsExactly(new long[] {1, attempts});
        reports.clear();
        admission.reportTo((saleId, n, online) -> reports.add(new long[] {saleId, n}));
        assertThat(reports).isEmpty();
    }

    @Test
    void aProbabilityOutsideZeroToOneIsTakenAsOneAndDisabledAdmissionAdmitsAll()
    {
        final EdgeAdmission admission = new EdgeAdmission(true);
        admission.onAdmission(1, Double.NaN);
        assertThat(admission.probability(SALE)).isEqualTo(1.0);
        admission.onAdmission(1, 0.0);
        assertThat(admission.admit(SALE)).isFalse();

        final EdgeAdmission off = new EdgeAdmission(false);
        off.onAdmission(1, 0.0);
        assertThat(off.admit(SALE)).isTrue();
        assertThat(off.probability(SALE)).isEqualTo(1.0);
    }
}
