package io.flashsale.http.admission;

import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.ServiceMeter;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The local ring's capacity, measured: its service rate from the pipeline's {@link ServiceMeter}
 * (commands over the time the busiest stage spent working on them, so it is the rate the ring
 * could keep up, not merely the rate it was given), and its backlog from the free slots.
 *
 * <p>The rate is a moving average over samples of at least {@value #MIN_SAMPLE_COMMANDS} commands,
 * so a few cheap commands (clock ticks) on an idle ring do not swing it; until the first sample
 * it is unknown (infinite: admission then limits by units alone, and the first interval of a
 * flood gives a sample). Small batches cost more per command than the large ones of a flood,
 * so a rate measured at low load errs low, on the safe side.
 *
 * <p>Any thread; one thread at a time takes a sample, the others read the last rate.
 */
public final class RingCapacity implements CoreCapacity
{
    static final long MIN_SAMPLE_COMMANDS = 256;
    private static final double WEIGHT_OF_NEW_SAMPLE = 0.5;

    private final Supplier<CommandPipeline> pipeline;
    private final AtomicBoolean sampling = new AtomicBoolean();
    private long lastCommands;
    private long lastBusyNanos;
    private ServiceMeter lastMeter;
    private volatile double commandsPerSecond = Double.POSITIVE_INFINITY;

    /** @param pipeline the local ring, null until the core is assembled */
    public RingCapacity(final Supplier<CommandPipeline> pipeline)
    {
        this.pipeline = pipeline;
    }

    @Override
    public double commandsPerSecond()
    {
        final CommandPipeline ring = pipeline.get();
        if (ring != null && sampling.compareAndSet(false, true))
        {
            try
            {
                sample(ring.serviceMeter());
            }
            finally
            {
                sampling.set(false);
            }
        }
        return commandsPerSecond;
    }

    @Override
    public long backlog()
    {
        final CommandPipeline ring = pipeline.get();
        return ring == null ? 0 : ring.ringSize() - ring.remainingCapacity();
    }

    private void sample(final ServiceMeter meter)
    {
        if (meter != lastMeter)
        {
            // A new ring, or the other stage of a PARALLEL ring is now the busier: start from here.
            lastMeter = meter;
            lastCommands = meter.commands();
            lastBusyNanos = meter.busyNanos();
            return;
        }
        final long commands = meter.commands();
        final long busyNanos = meter.busyNanos();
        final long done = commands - lastCommands;
        final long busy = busyNanos - lastBusyNanos;
        if (done < MIN_SAMPLE_COMMANDS || busy <= 0)
        {
            return;
        }
        lastCommands = commands;
        lastBusyNanos = busyNanos;
        final double rate = done * 1e9 / busy;
        final double previous = commandsPerSecond;
        commandsPerSecond = Double.isInfinite(previous) ? rate : previous + WEIGHT_OF_NEW_SAMPLE * (rate - previous);
    }
}
