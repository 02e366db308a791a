package io.flashsale.http.admission;

import io.flashsale.engine.sale.SaleView;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller in virtual time: a clock the test advances per arrival. */
class AdmissionControllerTest
{
    private static final long MS = 1_000_000;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final SaleView sale = new SaleView(1, "s", 100, 0, Long.MAX_VALUE, 1, 60_000);
    private final AdmissionController controller = new AdmissionController(true, 2.0, 100, now::get);

    private int arrive(final int count, final long spacingNanos)
    {
        int admitted = 0;
        for (int i = 0; i < count; i++)
        {
            now.addAndGet(spacingNanos);
            if (controller.admit(sale))
            {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void withLowDemandNobodyIsShed()
    {
        // 100 attempts a second against a target of 2 x 100 units per 100 ms.
        assertThat(arrive(1000, 10 * MS)).isEqualTo(1000);
        assertThat(controller.probability(sale)).isEqualTo(1.0);
        assertThat(controller.stats(sale).shed()).isZero();
    }

    @Test
    void underAFloodTheRingSeesAboutTheMultipleOfTheUnitsLeftPerInterval()
    {
        // 100,000 attempts a second for one second: 10 intervals of 10,000 attempts each.
        final int admitted = arrive(100_000, 10_000);
        final double expected = 2.0 * 100 * 10;
        assertThat(admitted).isBetween((int)(expected * 0.8), (int)(expected * 1.3));
        assertThat(controller.probability(sale)).isBetween(0.01, 0.03);
        assertThat(controller.stats(sale).arrivalRatePerSecond()).isBetween(50_000.0, 200_000.0);
    }

    @Test
    void theOnsetOfASurgeIsCaughtWithinTheFirstInterval()
    {
        // Without the early recompute the whole first 100 ms (10,000 attempts) would pass at p = 1.
        final int admitted = arrive(10_000, 10_000);
        assertThat(admitted).isLessThan(600);
    }

    @Test
    void probabilityReturnsToOneWhenTheCrowdLeaves()
    {
        arrive(50_000, 10_000);
        assertThat(controller.probability(sale)).isLessThan(0.1);
        // The first recompute after the crowd leaves still averages the last window's arrivals
        // (how many depends on the draws); the next quiet interval has none, so p is 1 again.
        now.addAndGet(1_000 * MS);
        controller.probability(sale);
        now.addAndGet(100 * MS);
        assertThat(controller.probability(sale)).isEqualTo(1.0);
    }

    @Test
    void aDisabledControllerAdmitsEverything()
    {
        final AdmissionController off = new AdmissionController(false, 2.0, 100, now::get);
        for (int i = 0; i < 10_000; i++)
        {
            assertThat(off.admit(sale)).isTrue();
        }
    }
}
