package io.flashsale.bench.cli;

import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.Pacing;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How the generator drives a run: the options every scenario shares. */
final class LoadOptions
{
    @Option(names = "--connections", defaultValue = "64", description = "HTTP/1.1 keep-alive connections (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--threads", defaultValue = "1", description = "generator event-loop threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--rate", paramLabel = "PER_SECOND", description = "open loop: requests per second, latency from each one's intended send time")
    Double rate;

    @Option(names = "--closed", description = "closed loop instead: each connection sends again as soon as it is answered (max throughput)")
    boolean closed;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
        description = "how long arrivals are sent (rush: the bound on the whole crowd) (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--max-requests", defaultValue = "5000000", description = "an upper bound on arrivals (default ${DEFAULT-VALUE})")
    long maxRequests;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
        description = "a request unanswered this long is cut off and counted as an error (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--grace", defaultValue = "10s", converter = DurationConverter.class,
        description = "after the duration, time to send the backlog and follow-ups before the run stops (default ${DEFAULT-VALUE})")
    Duration grace;

    /** The settings for a run with {@code defaultRate} when neither --rate nor --closed was given. */
    LoadSettings settings(final double defaultRate)
    {
        final Pacing pacing = closed ? Pacing.CLOSED : Pacing.RATE;
        final double perSecond = closed ? 0 : rate != null ? rate : defaultRate;
        return new LoadSettings("127.0.0.1", 1, connections, threads, pacing, perSecond, maxRequests, duration, grace, timeout);
    }
}
