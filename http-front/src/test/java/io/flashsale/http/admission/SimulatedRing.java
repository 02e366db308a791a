package io.flashsale.http.admission;

import java.util.function.LongSupplier;

/**
 * A plain model of the core's ring in virtual time: admitted purchases queue, and the ring applies
 * {@code commandsPerSecond} of them a second. The capacity admission reads is this model's.
 */
final class SimulatedRing implements CoreCapacity
{
    private final double commandsPerSecond;
    private final LongSupplier clock;
    private double queued;
    private long drainedAt;
    private double maxBacklog;

    SimulatedRing(final double commandsPerSecond, final LongSupplier clock)
    {
        this.commandsPerSecond = commandsPerSecond;
        this.clock = clock;
        this.drainedAt = clock.getAsLong();
    }

    /** One admitted purchase arrives at the ring. */
    void publish()
    {
        drain();
        queued++;
        maxBacklog = Math.max(maxBacklog, queued);
    }

    private void drain()
    {
        final long now = clock.getAsLong();
        queued = Math.max(0.0, queued - (now - drainedAt) * commandsPerSecond / 1e9);
        drainedAt = now;
    }

    /** The most purchases that ever waited at once. */
    double maxBacklog()
    {
        return maxBacklog;
    }

    @Override
    public double commandsPerSecond()
    {
        return commandsPerSecond;
    }

    @Override
    public long backlog()
    {
        drain();
        return (long)Math.ceil(queued);
    }
}
