package io.flashsale.http.admission;

import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The central admission in virtual time (the test moves the clock), against the rule written out
 * plainly ({@link #modelP}) and a plain model of the ring ({@link SimulatedRing}).
 */
class AdmissionControllerTest
{
    private static final long MS = 1_000_000;
    private static final CoreCapacity UNMEASURED = new CoreCapacity()
    {
        @Override
        public double commandsPerSecond()
        {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public long backlog()
        {
            return 0;
        }
    };

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final SaleView sale = view(100);

    private static SaleView view(final long available)
    {
        return new SaleView(1, "s", available, 0, Long.MAX_VALUE, 1, 60_000);
    }

    /** multiple 2, interval 100 ms, floor 1,000/s (100 an interval), core utilization 0.8. */
    private static ServerConfig.Admission config()
    {
        final ServerConfig.Admission config = new ServerConfig.Admission();
        config.multiple = 2.0;
        config.intervalMillis = 100;
        config.alwaysAdmitPerSecond = 1000;
        config.coreUtilization = 0.8;
        return config;
    }

    private AdmissionController controller(final CoreCapacity capacity)
    {
        return new AdmissionController(config(), now::get, capacity, new OnlineShoppers(now::get));
    }

    /** The rule of {@link AdmissionController}'s class comment, for one sale with steady demand. */
    private static double modelP(final double demandPerSecond, final long available, final double capacityPerSecond, final int sales)
    {
        final ServerConfig.Admission c = config();
        final double interval = c.intervalMillis / 1000.0;
        final double capacity = c.coreUtilization * capacityPerSecond * interval;
        final double target = Math.min(capacity / sales, Math.max(c.alwaysAdmitPerSecond * interval, c.multiple * available));
        final double expected = demandPerSecond * interval;
        return expected <= target ? 1.0 : target / expected;
    }

    /** {@code count} attempts at the own front, one every {@code spacingNanos}; returns how many were admitted. */
    private int arrive(final AdmissionController controller, final SaleView view, final int count, final long spacingNanos)
    {
        int admitted = 0;
        for (int i = 0; i < count; i++)
        {
            now.addAndGet(spacingNanos);
            if (controller.admit(view))
            {
                admitted++;
            }
        }
        return admitted;
    }

    /** An edge's report for the last 100 ms at {@code perSecond} attempts a second. */
    private static void report(final AdmissionController controller, final int edge, final double perSecond)
    {
        controller.onReport(edge, 1, Math.round(perSecond / 10), 0, 100);
    }

    @Test
    void globalProbabilityFromTwoEdgesOfVeryDifferentLoadEqualsOneEdgeWithTheirSum()
    {
        final AdmissionController twoEdges = controller(UNMEASURED);
        final AdmissionController oneEdge = controller(UNMEASURED);
        for (int interval = 0; interval < 5; interval++)
        {
            now.addAndGet(100 * MS);
            report(twoEdges, 1, 38_000);
            report(twoEdges, 2, 2_000);
            report(oneEdge, 1, 40_000);
            assertThat(twoEdges.probability(sale)).isEqualTo(oneEdge.probability(sale));
        }
        assertThat(twoEdges.probability(sale)).isCloseTo(modelP(40_000, 100, Double.POSITIVE_INFINITY, 1), within(1e-9)).isCloseTo(0.05, within(1e-9));
        assertThat(twoEdges.stats(sale).arrivalRatePerSecond()).isEqualTo(40_000.0);
    }

    @Test
    void theOwnFrontAndAnEdgeAddUpLikeOneSourceWithTheirSum()
    {
        final AdmissionController ownAndEdge = controller(UNMEASURED);
        final AdmissionController oneEdge = controller(UNMEASURED);
        for (int interval = 0; interval < 10; interval++)
        {
            // 2,000 attempts a second at the own front (one every 0.5 ms), 38,000 at the edge.
            arrive(ownAndEdge, sale, 200, MS / 2);
            report(ownAndEdge, 7, 38_000);
            report(oneEdge, 1, 40_000);
        }
        assertThat(ownAndEdge.probability(sale)).isCloseTo(oneEdge.probability(sale), within(0.05 * 0.05));
        assertThat(ownAndEdge.stats(sale).arrivalRatePerSecond()).isCloseTo(40_000.0, within(400.0));
        assertThat(ownAndEdge.demandByFront(sale)).extracting(FrontDemand::front).containsExactly("core", "edge-7");
    }

    @Test
    void aFloodNeverQueuesMoreOnTheRingThanItAppliesInOneInterval()
    {
        // The ring applies 20,000 commands a second: 0.8 x 2,000 = 1,600 purchases an interval. The
        // units are plenty, so only the capacity limits. 200,000 attempts a second for 2 s.
        final SimulatedRing ring = new SimulatedRing(20_000, now::get);
        final AdmissionController controller = controller(ring);
        final SaleView plenty = view(1_000_000);
        long admitted = 0;
        for (int i = 0; i < 400_000; i++)
        {
            now.addAndGet(5_000);
            if (controller.admit(plenty))
            {
                ring.publish();
                admitted++;
            }
        }
        assertThat(ring.maxBacklog()).isLessThanOrEqualTo(1_600 + 1);
        // Over 2 s the ring gets at most 0.8 of what it can apply (and one interval's slack), and the
        // draw does not starve it either.
        assertThat(admitted).isBetween(25_000L, 32_000L + 1_600);
        // Within a window p is lowered to what is left of the capacity, so it never exceeds the rule's.
        assertThat(controller.probability(plenty)).isLessThanOrEqualTo(modelP(200_000, 1_000_000, 20_000, 1));
    }

    @Test
    void aBacklogAlreadyOnTheRingLowersWhatIsAdmitted()
    {
        final SimulatedRing ring = new SimulatedRing(20_000, now::get);
        for (int i = 0; i < 1_600; i++)
        {
            ring.publish();
        }
        final AdmissionController controller = controller(ring);
        // A whole interval's work waits: what is admitted in the next 90 ms only takes the place of
        // what the ring applies meanwhile, so the backlog never grows past it.
        int admitted = 0;
        for (int i = 0; i < 9_000; i++)
        {
            now.addAndGet(10_000);
            if (controller.admit(view(1_000_000)))
            {
                ring.publish();
                admitted++;
            }
        }
        assertThat(ring.maxBacklog()).isLessThanOrEqualTo(1_600);
        assertThat(admitted).as("an empty ring would have taken 1,600").isLessThan(1_200);
    }

    @Test
    void aSmallCrowdIsNeverShed()
    {
        // Shoppers one after another at 300 a second; a measured ring of 50,000/s. 30 for 20 units,
        // then 150 for 100 units: without the floor the second sale's last interval (10 units left,
        // a target of 20 against 30 attempts) would shed.
        final AdmissionController controller = controller(new SimulatedRing(50_000, now::get));
        assertThat(buyOneAfterAnother(controller, 1, 20, 30)).containsExactly(20, 10);
        assertThat(buyOneAfterAnother(controller, 2, 100, 150)).containsExactly(100, 50);
    }

    /** @return {reserved, sold out}; every attempt that reaches the draw must be admitted with p = 1 */
    private int[] buyOneAfterAnother(final AdmissionController controller, final long saleId, final long stock, final int shoppers)
    {
        long units = stock;
        int reserved = 0;
        int soldOut = 0;
        for (int shopper = 0; shopper < shoppers; shopper++)
        {
            now.addAndGet(1_000 * MS / 300);
            if (units == 0)
            {
                soldOut++; // the sale gate answers from the published view, before the draw
                continue;
            }
            final SaleView left = new SaleView(saleId, "s", units, 0, Long.MAX_VALUE, 1, 60_000);
            assertThat(controller.admit(left)).as("shopper %d with %d units left", shopper, units).isTrue();
            assertThat(controller.probability(left)).isEqualTo(1.0);
            units--;
            reserved++;
        }
        assertThat(controller.stats(new SaleView(saleId, "s", 0, 0, Long.MAX_VALUE, 1, 60_000)).shed()).isZero();
        return new int[] {reserved, soldOut};
    }

    @Test
    void anEdgeThatLeavesStopsCountingAtOnce()
    {
        final AdmissionController controller = controller(UNMEASURED);
        report(controller, 3, 40_000);
        assertThat(controller.probability(sale)).isCloseTo(0.05, within(1e-9));
        controller.onEdgeLeft(3);
        assertThat(controller.probability(sale)).isEqualTo(1.0);
        assertThat(controller.stats(sale).arrivalRatePerSecond()).isZero();
        assertThat(controller.demandByFront(sale)).extracting(FrontDemand::front).containsExactly("core");
    }

    @Test
    void anEdgeThatFallsSilentStopsCountingAfterThreeIntervals()
    {
        final AdmissionController controller = controller(UNMEASURED);
        report(controller, 3, 40_000);
        now.addAndGet(200 * MS);
        assertThat(controller.probability(sale)).isCloseTo(0.05, within(1e-9));
        now.addAndGet(200 * MS);
        assertThat(controller.probability(sale)).isEqualTo(1.0);
    }

    @Test
    void probabilityConvergesWithinTwoIntervalsAfterADemandJumpAndBack()
    {
        final AdmissionController controller = controller(UNMEASURED);
        assertThat(arrive(controller, sale, 500, MS)).isEqualTo(500);
        assertThat(controller.probability(sale)).isEqualTo(1.0);

        // 1,000/s to 50,000/s: the first interval of the jump lets through a few targets at most,
        // after two intervals p is the rule's.
        final int firstInterval = arrive(controller, sale, 5_000, 20_000);
        assertThat(firstInterval).isLessThan(3 * 200);
        arrive(controller, sale, 5_000, 20_000);
        assertThat(controller.probability(sale)).isCloseTo(modelP(50_000, 100, Double.POSITIVE_INFINITY, 1), within(0.004));

        // And back to 500/s: two intervals later nobody is shed.
        arrive(controller, sale, 100, 2 * MS);
        final long shedBefore = controller.stats(sale).shed();
        arrive(controller, sale, 100, 2 * MS);
        assertThat(controller.probability(sale)).isEqualTo(1.0);
        arrive(controller, sale, 500, 2 * MS);
        assertThat(controller.stats(sale).shed() - shedBefore).isLessThan(50);
    }

    @Test
    void aJumpReportedByAnEdgeReachesPWithoutWaitingForTheInterval()
    {
        final AdmissionController controller = controller(UNMEASURED);
        report(controller, 1, 1_000);
        assertThat(controller.probability(sale)).isEqualTo(1.0);
        now.addAndGet(10 * MS);
        assertThat(controller.onReport(1, 1, 5_000, 0, 100)).as("a jump says so, and the link pushes p at once").isTrue();
        assertThat(controller.probability(sale)).isCloseTo(0.04, within(1e-9));
        now.addAndGet(10 * MS);
        assertThat(controller.onReport(1, 1, 5_000, 0, 100)).as("the same demand again: nothing to push early").isFalse();
    }

    @Test
    void salesWithDemandShareTheCapacity()
    {
        final AdmissionController controller = controller(new SimulatedRing(20_000, now::get));
        final SaleView other = new SaleView(2, "t", 1_000_000, 0, Long.MAX_VALUE, 1, 60_000);
        controller.onReport(1, 1, 10_000, 0, 100);
        controller.onReport(1, 2, 10_000, 0, 100);
        controller.probability(view(1_000_000));
        // Two sales with 100,000 attempts a second each share 1,600 an interval.
        assertThat(controller.probability(other)).isCloseTo(modelP(100_000, 1_000_000, 20_000, 2), within(1e-9));
    }

    @Test
    void reportsWithBadFiguresAreIgnored()
    {
        final AdmissionController controller = controller(UNMEASURED);
        controller.onReport(1, 1, -5, 0, 100);
        controller.onReport(1, 1, 5, -1, 100);
        controller.onReport(1, 1, 5, 0, 0);
        controller.onReport(1, 0, 5, 0, 100);
        controller.onReport(1, 1_000_000_000L, 5, 0, 100);
        assertThat(controller.ignoredReports()).isEqualTo(5);
        assertThat(controller.demandByFront(sale)).extracting(FrontDemand::front).containsExactly("core");
        for (int edge = 0; edge < AdmissionController.MAX_EDGES + 1; edge++)
        {
            report(controller, edge, 10);
        }
        assertThat(controller.ignoredReports()).isEqualTo(6);
    }

    @Test
    void theAdminRowsShowEachFrontsDemandOnlineShoppersAndAdmissions()
    {
        final OnlineShoppers online = new OnlineShoppers(now::get);
        final AdmissionController controller = new AdmissionController(config(), now::get, UNMEASURED, online);
        online.seenShopper(11);
        online.seenShopper(12);
        arrive(controller, sale, 100, MS);
        controller.onReport(4, 1, 4_000, 1_500, 100);
        for (int i = 0; i < 30; i++)
        {
            controller.onEdgeAdmitted(4, 1);
        }
        final var fronts = controller.demandByFront(sale);
        assertThat(fronts).hasSize(2);
        assertThat(fronts.get(0).front()).isEqualTo("core");
        assertThat(fronts.get(0).arrivalsPerSecond()).isCloseTo(1_000.0, within(20.0));
        assertThat(fronts.get(0)).extracting(FrontDemand::onlineShoppers, FrontDemand::attempts, FrontDemand::admitted).containsExactly(2L, 100L, 100L);
        assertThat(fronts.get(1)).isEqualTo(new FrontDemand("edge-4", 40_000.0, 1_500, 4_000, 30));
        final AdmissionStats stats = controller.stats(sale);
        assertThat(stats.admitted()).isEqualTo(130);
        assertThat(stats.shed()).isEqualTo(3_970);

        controller.onEdgeLeft(4);
        assertThat(controller.stats(sale).admitted()).as("a departed edge's totals stay").isEqualTo(130);
    }

    @Test
    void twoPopulationsDrawingWithTheSameCentralPAreAdmittedAtConsistentRates()
    {
        // The own front's shoppers arrive at 1,000/s; an edge's at 20,000/s. The edge draws with the
        // p it pulls every 50 ms and reports every 100 ms, as over the link. 20 s of virtual time; the
        // first second is not counted (before the edge's first report and pull the two draw with
        // different p, for different lengths of time).
        final AdmissionController controller = controller(UNMEASURED);
        final Random edgeDraws = new Random(13);
        long ownAdmitted = 0;
        long ownShed = 0;
        long edgeAdmitted = 0;
        long edgeShed = 0;
        long edgeAttemptsInWindow = 0;
        double pushedP = 1.0;
        final long step = 50_000;
        for (long t = 1; t <= 20_000 * MS / step; t++)
        {
            now.addAndGet(step);
            final boolean counted = t > 1_000 * MS / step;
            if (edgeDraws.nextDouble() < pushedP)
            {
                edgeAdmitted += counted ? 1 : 0;
                controller.onEdgeAdmitted(2, 1);
            }
            else
            {
                edgeShed += counted ? 1 : 0;
            }
            edgeAttemptsInWindow++;
            if (t % 20 == 0)
            {
                if (controller.admit(sale))
                {
                    ownAdmitted += counted ? 1 : 0;
                }
                else
                {
                    ownShed += counted ? 1 : 0;
                }
            }
            if (t % 1_000 == 0)
            {
                pushedP = controller.probability(sale);
            }
            if (t % 2_000 == 0)
            {
                controller.onReport(2, 1, edgeAttemptsInWindow, 0, 100);
                edgeAttemptsInWindow = 0;
            }
        }
        assertThat(controller.probability(sale)).isCloseTo(modelP(21_000, 100, Double.POSITIVE_INFINITY, 1), within(0.01));
        final double chiSquared = chiSquared(ownAdmitted, ownShed, edgeAdmitted, edgeShed);
        // 1 degree of freedom: 10.83 is the 0.1 % point; a p that differed by a tenth would give hundreds.
        assertThat(chiSquared).as("own %d/%d, edge %d/%d", ownAdmitted, ownShed, edgeAdmitted, edgeShed).isLessThan(10.83);
    }

    /** Pearson's χ² of a 2 × 2 table (population × admitted or shed). */
    static double chiSquared(final long a, final long b, final long c, final long d)
    {
        final double n = a + b + c + d;
        final double[][] observed = {{a, b}, {c, d}};
        final double[] rows = {a + b, c + d};
        final double[] columns = {a + c, b + d};
        double sum = 0;
        for (int r = 0; r < 2; r++)
        {
            for (int k = 0; k < 2; k++)
            {
                final double expected = rows[r] * columns[k] / n;
                sum += (observed[r][k] - expected) * (observed[r][k] - expected) / expected;
            }
        }
        return sum;
    }

    @Test
    void aDisabledControllerAdmitsEverything()
    {
        final ServerConfig.Admission off = config();
        off.enabled = false;
        final AdmissionController controller = new AdmissionController(off, now::get, UNMEASURED, null);
        for (int i = 0; i < 10_000; i++)
        {
            assertThat(controller.admit(sale)).isTrue();
        }
        assertThat(controller.probability(sale)).isEqualTo(1.0);
    }
}
