package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.command.CommandEvent;

/**
 * Wraps a ring stage and measures how fast it works when it has work: the commands it handled and
 * the nanoseconds it spent in them, from the first event of each ring batch to the end of the
 * batch (the time it waits for the next batch is not counted). Their ratio is the stage's service
 * rate, which admission reads to know how many purchases the core can take without a growing
 * backlog. A performance figure only: nothing in the engine's state depends on the clock read here.
 *
 * <p>Written by the stage thread only (two volatile writes per batch); read by any thread. A
 * reader may see the two counters one batch apart, which a rate over many batches does not notice.
 */
public final class ServiceMeter implements EventHandler<CommandEvent>
{
    private final EventHandler<CommandEvent> stage;
    private long batchStartNanos = -1;
    private long batchCommands;
    private volatile long busyNanos;
    private volatile long commands;

    ServiceMeter(final EventHandler<CommandEvent> stage)
    {
        this.stage = stage;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch) throws Exception
    {
        if (batchStartNanos < 0)
        {
            batchStartNanos = System.nanoTime();
        }
        batchCommands++;
        try
        {
            stage.onEvent(command, sequence, endOfBatch);
        }
        finally
        {
            if (endOfBatch)
            {
                busyNanos += System.nanoTime() - batchStartNanos;
                commands += batchCommands;
                batchStartNanos = -1;
                batchCommands = 0;
            }
        }
    }

    /** Commands the stage has handled since the ring started. Any thread. */
    public long commands()
    {
        return commands;
    }

    /** Nanoseconds the stage spent handling them. Any thread. */
    public long busyNanos()
    {
        return busyNanos;
    }
}
