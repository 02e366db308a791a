package io.flashsale.journal.link;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.flashsale.journal.link.Links.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The edge learns the core's clock: lowest round trip wins. */
class ClockOffsetTest
{
    @Test
    void theSampleWithTheLowestRoundTripGivesTheOffset()
    {
        final ClockOffset offset = new ClockOffset();
        // core = edge + 1000; the reply's core time is read somewhere inside each round trip.
        offset.sample(0, 1_000 + 80, 100);       // rtt 100, estimate 1030
        offset.sample(200, 1_200 + 2, 204);      // rtt 4, estimate 1000
        offset.sample(300, 1_300 + 400, 1_100);  // rtt 800, estimate 1300
        assertThat(offset.offsetNanos()).isEqualTo(1_000);
        assertThat(offset.roundTripNanos()).isEqualTo(4);
        assertThat(offset.sampleCount()).isEqualTo(3);
    }

    @Test
    void theBestSampleAgesOutOfTheWindow()
    {
        final ClockOffset offset = new ClockOffset();
        offset.sample(0, 1_000, 2);
        for (int i = 1; i <= ClockOffset.WINDOW; i++)
        {
            offset.sample(i * 1_000L, i * 1_000L + 500 + 25, i * 1_000L + 50);
        }
        assertThat(offset.offsetNanos()).isEqualTo(500);
        assertThat(offset.roundTripNanos()).isEqualTo(50);
    }

    @Test
    void anEdgeEstimatesTheCoreClockWithinHalfItsBestRoundTrip()
    {
        final long skew = TimeUnit.MILLISECONDS.toNanos(5_123) + 456_789;
        final EpochNanoClock system = new SystemEpochNanoClock();
        final EpochNanoClock coreClock = () -> system.nanoTime() + skew;
        try (LinkServer server = Links.launch(Links.server().clock(coreClock), new CoreRecorder(true));
            LinkClient edge = LinkClient.launch(Links.client(server, 1).clock(system), new EdgeRecorder()))
        {
            Links.awaitJoined(edge);
            await().atMost(PATIENCE).until(() -> edge.clockOffset().sampleCount() >= 8);
            // Cristian's bound: the estimate is off by at most half the round trip it was taken from
            // (2 ms on a quiet loopback; a starved machine's best round trip is longer, never the bound).
            final double bound = Math.max(2_000_000.0, edge.clockOffset().roundTripNanos() / 2.0 + 200_000.0);
            assertThat((double)edge.clockOffset().offsetNanos()).isCloseTo(skew, within(bound));
            assertThat((double)(edge.coreEpochNanos() - coreClock.nanoTime())).isCloseTo(0, within(bound));
        }
    }
}
