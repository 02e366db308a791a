package io.flashsale.journal;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.JournalPort;
import io.flashsale.engine.pipeline.SnapshotPort;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.queue.JournalReader;
import io.flashsale.journal.queue.JournalWriter;
import io.flashsale.journal.snapshot.SnapshotScheduler;
import io.flashsale.journal.snapshot.SnapshotStore;
import io.flashsale.journal.snapshot.SnapshotWriter;
import io.flashsale.journal.space.JournalSpaceGuard;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * An engine that survives restarts: recovers it from the newest snapshot and the journal, then
 * supplies the journal and snapshot ports for the pipeline and the snapshot schedule.
 *
 * <pre>
 *   DurableEngine durable = DurableEngine.open(config);          // recovery happens here
 *   CommandPipeline pipeline = CommandPipeline.start(durable.engine(),
 *       new PipelineConfig().journal(durable.journalPort()).snapshots(durable.snapshotPort()));
 *   durable.scheduleSnapshots(pipeline);
 *   ...
 *   pipeline.close();                                            // drain the ring first
 *   durable.close();
 * </pre>
 *
 * <p>{@link #open} and {@link #close} on one control thread. {@link #engine()} belongs to the
 * business thread once the pipeline runs. The ports are called by the pipeline's stage threads.
 */
public final class DurableEngine implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(DurableEngine.class.getName());

    private final JournalConfig config;
    private final SaleEngine engine;
    private final SingleChronicleQueue queue;
    private final JournalWriter journal;
    private final SnapshotWriter snapshots;
    private final SnapshotScheduler scheduler;
    private final RecoveryReport recovery;
    private final JournalSpaceGuard spaceGuard;
    private boolean closed;

    private DurableEngine(final JournalConfig config, final Recovery.Result recovered, final JournalSpaceGuard spaceGuard)
    {
        this.spaceGuard = spaceGuard;
        this.config = config;
        this.engine = recovered.engine();
        this.queue = recovered.queue();
        this.recovery = recovered.report();
        this.journal = new JournalWriter(queue, config.sync, recovery.lastSequence());
        this.snapshots = new SnapshotWriter(new SnapshotStore(config.snapshotDirectory()), journal, config.keepSnapshots, recovery.snapshotSequence(),
            spaceGuard::engaged);
        this.scheduler = new SnapshotScheduler(journal, config.snapshotEveryCommands, config.snapshotEverySeconds, System::currentTimeMillis);
    }

    /**
     * Recovers the engine from the directory in {@code config} (created when missing): the newest
     * valid snapshot, then the journal after it.
     *
     * @throws JournalCorruptException when the journal is damaged and {@link JournalConfig#truncateTornTail}
     *                                 is not set (or truncation cannot help); the message says where
     * @throws UncheckedIOException    when the folder cannot be read or written
     */
    public static DurableEngine open(final JournalConfig config)
    {
        config.validate();
        final Recovery.Result recovered;
        try
        {
            recovered = Recovery.run(config, new SaleViews());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the journal in " + config.directory + ": " + ex.getMessage(), ex);
        }
        LOG.log(System.Logger.Level.INFO, recovered.report().toString());
        final JournalSpaceGuard guard;
        try
        {
            guard = JournalSpaceGuard.watch(config.queueDirectory(), config.minFreeBytes, JournalSpaceGuard.DEFAULT_POLL_MILLIS);
        }
        catch (final IOException ex)
        {
            recovered.queue().close();
            throw new UncheckedIOException("cannot watch the free space of " + config.queueDirectory() + ": " + ex.getMessage(), ex);
        }
        return new DurableEngine(config, recovered, guard);
    }

    /** The recovered engine. Hand it to the pipeline; after that only the business thread touches it. */
    public SaleEngine engine()
    {
        return engine;
    }

    /** Appends journaled commands to the queue; give it to {@code PipelineConfig.journal}. */
    public JournalPort journalPort()
    {
        return journal;
    }

    /** Writes snapshots at SNAPSHOT commands; give it to {@code PipelineConfig.snapshots}. */
    public SnapshotPort snapshotPort()
    {
        return snapshots;
    }

    /**
     * Whether the journal's file system is nearly full: while it is engaged, refuse commands that
     * would be journaled. Any thread.
     */
    public JournalSpaceGuard spaceGuard()
    {
        return spaceGuard;
    }

    public RecoveryReport recovery()
    {
        return recovery;
    }

    public JournalConfig config()
    {
        return config;
    }

    /** The journal sequence of the last command appended. Any thread. */
    public long journalSequence()
    {
        return journal.appendedSequence();
    }

    /**
     * A reader of this journal, for a thread that follows it while the ring appends (replication's
     * catch-up). Create and use it on that one thread; close it there.
     */
    public JournalReader newReader()
    {
        return new JournalReader(queue);
    }

    /** The last sequence the journal holds as its sync policy promises. Any thread. */
    public long durableSequence()
    {
        return journal.durableSequence();
    }

    /** The newest snapshot written since start, or null. Any thread. */
    public Path lastSnapshot()
    {
        return snapshots.lastWritten();
    }

    /** The journal sequence covered by the newest snapshot written (or recovered from). Any thread. */
    public long lastSnapshotSequence()
    {
        return snapshots.lastWrittenSequence();
    }

    /**
     * Starts publishing SNAPSHOT commands to {@code pipeline} every N commands / T seconds, as
     * configured; from now on an unexpected failure of the snapshot threads fails that pipeline.
     */
    public void scheduleSnapshots(final CommandPipeline pipeline)
    {
        snapshots.reportFailuresTo(pipeline);
        scheduler.start(pipeline);
    }

    /**
     * Stops the schedule, lets a snapshot being written finish, and closes the queue. Call after
     * the pipeline is closed, so that every accepted command is in the journal. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        spaceGuard.close();
        scheduler.close();
        snapshots.close();
        try
        {
            journal.close();
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "closing the journal writer failed", ex);
        }
        finally
        {
            queue.close();
        }
    }
}
