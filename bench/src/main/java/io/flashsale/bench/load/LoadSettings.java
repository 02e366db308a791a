package io.flashsale.bench.load;

import java.time.Duration;

/**
 * How one load run is driven: where to, over how many connections and event-loop threads, at
 * what pacing, and its bounds. A run always stops by itself: no arrival is sent after
 * {@code duration}, follow-ups and backlog stop at {@code duration + grace}, and a request
 * unanswered after {@code timeout} is cut off.
 *
 * @param ratePerSecond for {@link Pacing#RATE}: arrivals per second across all loops
 * @param maxArrivals   an upper bound on arrivals for every pacing
 */
public record LoadSettings(
    String host,
    int port,
    int connections,
    int threads,
    Pacing pacing,
    double ratePerSecond,
    long maxArrivals,
    Duration duration,
    Duration grace,
    Duration timeout)
{
    public LoadSettings
    {
        if (connections < 1 || connections > 10_000)
        {
            throw new IllegalArgumentException("connections must be between 1 and 10000, was " + connections);
        }
        if (threads < 1 || threads > connections)
        {
            throw new IllegalArgumentException("threads must be between 1 and the number of connections, was " + threads);
        }
        if (pacing == Pacing.RATE && (!(ratePerSecond > 0) || ratePerSecond > 10_000_000))
        {
            throw new IllegalArgumentException("rate must be between 0 and 10000000 requests per second, was " + ratePerSecond);
        }
        if (maxArrivals < 1)
        {
            throw new IllegalArgumentException("arrivals must be at least 1, was " + maxArrivals);
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(1)) > 0)
        {
            throw new IllegalArgumentException("duration must be more than 0 and at most an hour, was " + duration);
        }
        if (grace.isNegative() || timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("grace must be 0 or more and timeout more than 0");
        }
    }

    /** The same run against another server. */
    public LoadSettings at(final String newHost, final int newPort)
    {
        return new LoadSettings(newHost, newPort, connections, threads, pacing, ratePerSecond, maxArrivals, duration, grace, timeout);
    }

    /** The same run over another number of connections. */
    public LoadSettings withConnections(final int newConnections)
    {
        return new LoadSettings(host, port, newConnections, threads, pacing, ratePerSecond, maxArrivals, duration, grace, timeout);
    }

    /** The same run with another pacing and arrival bound. */
    public LoadSettings paced(final Pacing newPacing, final double newRate, final long newMaxArrivals)
    {
        return new LoadSettings(host, port, connections, threads, newPacing, newRate, newMaxArrivals, duration, grace, timeout);
    }

    /** Arrivals the schedule holds: for a rate, what fits in the duration, never above the bound. */
    public long arrivals()
    {
        if (pacing == Pacing.RATE)
        {
            return Math.max(1, Math.min(maxArrivals, (long)Math.floor(ratePerSecond * duration.toNanos() / 1e9)));
        }
        return maxArrivals;
    }

    public String describe()
    {
        final String how = switch (pacing)
        {
            case RATE -> String.format("open loop at %,.0f req/s", ratePerSecond);
            case BURST -> String.format("open loop, %,d arrivals at the start instant", maxArrivals);
            case CLOSED -> "closed loop (max throughput)";
        };
        return String.format("%s, %d connections, %d generator thread%s, %s", how, connections, threads,
            threads == 1 ? "" : "s", pacing == Pacing.BURST ? "bounded by " + duration.toSeconds() + " s" : "for " + humane(duration));
    }

    private static String humane(final Duration d)
    {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
