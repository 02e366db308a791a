package io.flashsale.journal.snapshot;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.journal.queue.JournalWriter;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Publishes SNAPSHOT commands on a schedule: after every N journaled commands and every T seconds
 * (when something was journaled since the last one). Counts commands from the journal's appended
 * sequence, so the hot path pays nothing for the schedule.
 *
 * <p>Runs on its own daemon thread; {@link #start} and {@link #close} from any thread. Anything the
 * thread throws fails the pipeline it publishes to.
 */
public final class SnapshotScheduler implements AutoCloseable
{
    private static final long POLL_MILLIS = 50;

    private final JournalWriter journal;
    private final long everyCommands;
    private final long everyMillis;
    private final LongSupplier clock;
    private ScheduledExecutorService executor;
    private CommandPipeline pipeline;
    private long lastRequestedAt;
    private long lastRequestMillis;

    public SnapshotScheduler(final JournalWriter journal, final long everyCommands, final long everySeconds, final LongSupplier clock)
    {
        this.journal = journal;
        this.everyCommands = everyCommands;
        this.everyMillis = TimeUnit.SECONDS.toMillis(everySeconds);
        this.clock = clock;
    }

    /** Starts publishing to {@code target}; a no-op when both intervals are off. */
    public synchronized void start(final CommandPipeline target)
    {
        if (executor != null)
        {
            throw new IllegalStateException("snapshots are already scheduled");
        }
        if (everyCommands == 0 && everyMillis == 0)
        {
            return;
        }
        pipeline = target;
        lastRequestedAt = journal.appendedSequence();
        lastRequestMillis = clock.getAsLong();
        executor = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "flashsale-snapshot-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::pollOrFail, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A task that throws is cancelled by the executor without a word: say it, and fail the pipeline. */
    private void pollOrFail()
    {
        try
        {
            poll();
        }
        catch (final Throwable ex)
        {
            pipeline.fail("snapshot scheduler", ex);
            throw ex;
        }
    }

    private void poll()
    {
        final long appended = journal.appendedSequence();
        final long now = clock.getAsLong();
        final boolean byCount = everyCommands > 0 && appended - lastRequestedAt >= everyCommands;
        final boolean byTime = everyMillis > 0 && appended > lastRequestedAt && now - lastRequestMillis >= everyMillis;
        if (!byCount && !byTime)
        {
            return;
        }
        final Outcome outcome = pipeline.snapshot(null, null);
        if (outcome == Outcome.PENDING)
        {
            lastRequestedAt = appended;
            lastRequestMillis = now;
        }
        else if (outcome == Outcome.SHUTTING_DOWN)
        {
            executor.shutdown();
        }
        // BUSY: the ring is full; the next poll tries again.
    }

    @Override
    public synchronized void close()
    {
        if (executor != null)
        {
            executor.shutdownNow();
        }
    }
}
