package io.flashsale.bench.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator against a real server that stalls one response for 300 ms, over one connection.
 * Open loop, every request due during the stall waits behind it and is charged from its intended
 * send time; closed loop (coordinated omission) sees a single slow request.
 */
class OpenLoopLatencyTest
{
    private static final long STALL_MILLIS = 300;

    @Test
    void aStalledResponseChargesEveryRequestThatWasDueDuringTheStall() throws Exception
    {
        try (StallingServer server = new StallingServer(6, STALL_MILLIS))
        {
            // 200 req/s: one every 5 ms, 200 in all; request 6 is due at 25 ms and stalls until about 325 ms.
            final LoadStats stats = LoadGenerator.run(settings(server, Pacing.RATE, 200, 200), i -> new PlainGets());

            final Histogram latency = stats.steps().get("request").latencyMicros();
            assertThat(latency.getTotalCount()).isEqualTo(200);
            assertThat(server.requests()).isEqualTo(200);
            assertThat(latency.getMaxValue()).as("the stalled request itself").isGreaterThanOrEqualTo(STALL_MILLIS * 1_000);
            // Requests due at 30, 35, ... ms waited behind it: those due before 225 ms waited at least 100 ms.
            final long waitedLong = latency.getTotalCount() - latency.getCountBetweenValues(0, 100_000);
            assertThat(waitedLong).as("requests charged at least 100 ms").isGreaterThanOrEqualTo(40);
            assertThat(stats.sendLagMicros().getMaxValue()).as("the generator knows it sent late").isGreaterThanOrEqualTo(250_000);
            assertThat(stats.unsent()).isZero();
            assertThat(stats.errors()).isZero();
        }
    }

    @Test
    void aClosedLoopSeesTheSameStallOnlyOnce() throws Exception
    {
        try (StallingServer server = new StallingServer(6, STALL_MILLIS))
        {
            final LoadStats stats = LoadGenerator.run(settings(server, Pacing.CLOSED, 0, 200), i -> new PlainGets());

            final Histogram latency = stats.steps().get("request").latencyMicros();
            assertThat(latency.getTotalCount()).isEqualTo(200);
            assertThat(latency.getMaxValue()).isGreaterThanOrEqualTo(STALL_MILLIS * 1_000);
            final long waitedLong = latency.getTotalCount() - latency.getCountBetweenValues(0, 250_000);
            assertThat(waitedLong).as("coordinated omission: only the stalled request looks slow").isEqualTo(1);
        }
    }

    @Test
    void aRunStopsAtItsDeadlineAndCountsWhatItCouldNotSend() throws Exception
    {
        try (StallingServer server = new StallingServer(1, 2_000))
        {
            // One connection, the first request held for 2 s, a 300 ms schedule and no grace: the rest is never sent.
            final LoadSettings settings = new LoadSettings("127.0.0.1", server.port(), 1, 1, Pacing.RATE, 100, 30,
                Duration.ofMillis(300), Duration.ZERO, Duration.ofMillis(800));
            final long began = System.nanoTime();
            final LoadStats stats = LoadGenerator.run(settings, i -> new PlainGets());

            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
            assertThat(stats.steps().get("request").outcome("error: timeout")).isEqualTo(1);
            assertThat(stats.unsent()).isEqualTo(29);
        }
    }

    private static LoadSettings settings(final StallingServer server, final Pacing pacing, final double rate, final long arrivals)
    {
        return new LoadSettings("127.0.0.1", server.port(), 1, 1, pacing, rate, arrivals,
            Duration.ofSeconds(pacing == Pacing.RATE ? 1 : 10), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** Every arrival is one GET /, counted by status. */
    private static final class PlainGets implements Workload
    {
        @Override
        public LoadRequest arrive(final long index)
        {
            return LoadRequest.get("request", "/");
        }

        @Override
        public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
        {
            return String.valueOf(answer.status());
        }
    }
}
