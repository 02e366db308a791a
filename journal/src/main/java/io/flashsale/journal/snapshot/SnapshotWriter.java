package io.flashsale.journal.snapshot;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.SnapshotPort;
import io.flashsale.journal.queue.JournalWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The snapshot port of the pipeline. On the business thread, at a SNAPSHOT command, it cuts the
 * engine's facts ({@link EngineSnapshot#cut}: array copies, a consistent cut at that point of the
 * ring, a few milliseconds where serialising on that thread stalled every purchase for a large
 * part of a second) and hands the cut to its own thread, which serialises it, waits until the
 * journal holds every command the cut covers, then writes the file through the
 * {@link SnapshotStore} and prunes old ones.
 *
 * <p>The wait matters: the journal runs beside the business thread, so at the cut it may not yet
 * have written the last commands the snapshot includes. A snapshot that got ahead of the journal
 * would describe commands that a crash could erase from the journal.
 *
 * <p>A snapshot that cannot be written (disk full, I/O error) is logged and dropped: recovery
 * then replays more of the journal, nothing is lost. Anything else the writer thread throws (a
 * serialisation bug, an {@link Error}) fails the pipeline it serves ({@link #reportFailuresTo}).
 *
 * <p>{@link #onSnapshot} on the business thread only; the rest from any thread.
 */
public final class SnapshotWriter implements SnapshotPort, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(SnapshotWriter.class.getName());

    private final BooleanSupplier diskNearlyFull;
    private final SnapshotStore store;
    private final JournalWriter journal;
    private final int keep;
    private final ExecutorService executor;
    private long lastCutSequence = -1;
    private volatile Path lastWritten;
    private volatile long lastWrittenSequence;
    private volatile String lastFailure;
    private volatile CommandPipeline pipeline;

    /**
     * @param diskNearlyFull true while the journal's file system is nearly full: snapshots are
     *                       skipped then, the room left is the journal's
     */
    public SnapshotWriter(final SnapshotStore store, final JournalWriter journal, final int keep, final long recoveredFromSequence,
                          final BooleanSupplier diskNearlyFull)
    {
        this.diskNearlyFull = diskNearlyFull;
        this.store = store;
        this.journal = journal;
        this.keep = keep;
        this.lastWrittenSequence = recoveredFromSequence;
        this.executor = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "flashsale-snapshot-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Where the writer thread's unexpected failures go from now on; until then they are logged. */
    public void reportFailuresTo(final CommandPipeline target)
    {
        this.pipeline = target;
    }

    /** Business thread: copies the state out and returns; the file is written elsewhere. */
    @Override
    public void onSnapshot(final SaleEngine engine) throws IOException
    {
        final long sequence = engine.appliedCount();
        if (sequence == 0 || sequence == lastCutSequence)
        {
            return; // nothing new since the last cut
        }
        final long startNanos = System.nanoTime();
        final EngineSnapshot.Cut cut = EngineSnapshot.cut(engine);
        final long cutMicros = (System.nanoTime() - startNanos) / 1_000;
        lastCutSequence = sequence;
        executor.execute(() ->
        {
            try
            {
                persist(cut, cutMicros);
            }
            catch (final Throwable ex)
            {
                fatal(ex);
            }
        });
    }

    private void fatal(final Throwable ex)
    {
        lastFailure = "snapshot writer failed: " + ex;
        final CommandPipeline target = pipeline;
        if (target != null)
        {
            target.fail("snapshot writer", ex);
        }
        else
        {
            LOG.log(System.Logger.Level.ERROR, lastFailure, ex);
        }
    }

    private void persist(final EngineSnapshot.Cut cut, final long cutMicros)
    {
        final long sequence = cut.appliedCount();
        final ByteArrayDataOutput state = new ByteArrayDataOutput(64 * (cut.orderCount() + 16));
        try
        {
            EngineSnapshot.write(cut, state);
        }
        catch (final IOException ex)
        {
            // Into a byte array: cannot happen; a state that does not serialise is a bug, and fatal.
            throw new IllegalStateException("snapshot at sequence " + sequence + " could not be serialised", ex);
        }
        while (journal.durableSequence() < sequence)
        {
            if (journal.failed() || Thread.currentThread().isInterrupted())
            {
                lastFailure = "journal failed before it held sequence " + sequence + "; snapshot dropped";
                LOG.log(System.Logger.Level.WARNING, lastFailure);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (diskNearlyFull.getAsBoolean())
        {
            lastFailure = "snapshot at sequence " + sequence + " skipped: the journal's file system is nearly full";
            LOG.log(System.Logger.Level.WARNING, lastFailure);
            return;
        }
        try
        {
            final Path path = store.write(state.array(), state.length(), sequence, cut.now());
            lastWritten = path;
            lastWrittenSequence = sequence;
            store.prune(keep);
            LOG.log(System.Logger.Level.INFO, "snapshot " + path.getFileName() + " written (" + state.length() + " bytes; "
                + cut.orderCount() + " orders cut in " + cutMicros + " µs on the business thread)");
        }
        catch (final IOException | RuntimeException ex)
        {
            lastFailure = "snapshot at sequence " + sequence + " failed: " + ex;
            LOG.log(System.Logger.Level.ERROR, lastFailure, ex);
        }
    }

    /** The newest snapshot this writer completed, or null. Any thread. */
    public Path lastWritten()
    {
        return lastWritten;
    }

    /** The journal sequence covered by the newest snapshot written (or recovered from). Any thread. */
    public long lastWrittenSequence()
    {
        return lastWrittenSequence;
    }

    /** Why the last snapshot failed, or null. Any thread. */
    public String lastFailure()
    {
        return lastFailure;
    }

    /** Lets a snapshot being written finish (within the timeout), then stops the writer thread. */
    @Override
    public void close()
    {
        executor.shutdown();
        try
        {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS))
            {
                executor.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
