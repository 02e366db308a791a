package io.flashsale.bench.load;

/**
 * When each arrival of an open-loop run is meant to be sent: arrival {@code i} at
 * {@code start + i / rate}, whatever happened to the arrivals before it. Latency is measured from
 * this intended time, not from when the request actually left, so a server that stalls is charged
 * for every request that should have gone out during the stall (no coordinated omission, as in
 * wrk2). A burst schedule puts every arrival at the start instant: a crowd that clicks at once.
 *
 * <p>Immutable; any thread.
 */
public final class OpenLoopSchedule
{
    private final long startNanos;
    private final double intervalNanos;

    private OpenLoopSchedule(final long startNanos, final double intervalNanos)
    {
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
    }

    /** Arrivals spaced evenly at {@code perSecond}, the first at {@code startNanos}. */
    public static OpenLoopSchedule atRate(final long startNanos, final double perSecond)
    {
        if (!(perSecond > 0) || Double.isInfinite(perSecond))
        {
            throw new IllegalArgumentException("rate must be a positive number of requests per second, was " + perSecond);
        }
        return new OpenLoopSchedule(startNanos, 1e9 / perSecond);
    }

    /** Every arrival at {@code startNanos}. */
    public static OpenLoopSchedule burst(final long startNanos)
    {
        return new OpenLoopSchedule(startNanos, 0);
    }

    public long startNanos()
    {
        return startNanos;
    }

    /** The {@link System#nanoTime()} at which arrival {@code index} (from 0) is meant to be sent. */
    public long intendedNanos(final long index)
    {
        return startNanos + (long)(index * intervalNanos);
    }

    /** The number of arrivals whose intended time is at or before {@code nowNanos}. */
    public long dueBy(final long nowNanos)
    {
        if (nowNanos < startNanos)
        {
            return 0;
        }
        if (intervalNanos == 0)
        {
            return Long.MAX_VALUE;
        }
        long due = (long)((nowNanos - startNanos) / intervalNanos) + 1;
        // The division and intendedNanos round independently: settle on the definition.
        while (due > 0 && intendedNanos(due - 1) > nowNanos)
        {
            due--;
        }
        while (intendedNanos(due) <= nowNanos)
        {
            due++;
        }
        return due;
    }
}
