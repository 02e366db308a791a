package io.flashsale.journal.queue;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.pipeline.JournalPort;
import io.flashsale.journal.SyncPolicy;
import io.flashsale.journal.codec.CommandCodec;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal port of the pipeline: appends every journaled command to the Chronicle Queue as one
 * {@link CommandCodec} record, numbered with a gapless journal sequence, and syncs per batch when
 * the policy is {@link SyncPolicy#BATCH}. The file's blocks are allocated ahead of the mapped
 * writes ({@link DiskReservation}), so a full disk fails an append with an {@link IOException}
 * before its record is written.
 *
 * <p>{@link #append} and {@link #endOfBatch} run on the journal stage thread only (the appender
 * is created there, on first use). {@link #appendedSequence()}, {@link #durableSequence()} and
 * {@link #failed()} may be read by any thread: the snapshot writer waits on the durable sequence,
 * the snapshot scheduler counts commands with the appended one.
 */
public final class JournalWriter implements JournalPort
{
    private final SingleChronicleQueue queue;
    private final SyncPolicy sync;
    private final CommandCodec codec = new CommandCodec();
    private final AtomicLong appended;
    private final AtomicLong durable;
    private final AtomicLong syncs = new AtomicLong();
    private final DiskReservation reservation = new DiskReservation();
    private volatile boolean failed;

    private ExcerptAppender appender;
    private long nextSequence;
    private File syncedFile;
    private FileChannel syncChannel;

    /**
     * @param lastSequence the sequence of the last record already in the journal (0 for none);
     *                     the next record gets {@code lastSequence + 1}
     */
    public JournalWriter(final SingleChronicleQueue queue, final SyncPolicy sync, final long lastSequence)
    {
        this.queue = queue;
        this.sync = sync;
        this.nextSequence = lastSequence + 1;
        this.appended = new AtomicLong(lastSequence);
        this.durable = new AtomicLong(lastSequence);
    }

    @Override
    public void append(final CommandEvent command) throws IOException
    {
        try
        {
            if (appender == null)
            {
                appender = queue.createAppender();
            }
            final long sequence = nextSequence;
            final int length = codec.encode(command, sequence, command.ringSequence);
            try (DocumentContext dc = appender.writingDocument())
            {
                final Bytes<?> bytes = dc.wire().bytes();
                try
                {
                    reservation.ensure(appender.currentFile(), bytes.writePosition());
                }
                catch (final IOException | RuntimeException ex)
                {
                    dc.rollbackOnClose();
                    throw ex;
                }
                bytes.write(codec.array(), 0, length);
            }
            nextSequence = sequence + 1;
            appended.lazySet(sequence);
            if (sync == SyncPolicy.ASYNC)
            {
                durable.lazySet(sequence);
            }
            else if (appender.currentFile() != syncedFile)
            {
                switchSyncedFile(appender.currentFile());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failed = true;
            throw ex;
        }
    }

    @Override
    public void endOfBatch() throws IOException
    {
        if (sync != SyncPolicy.BATCH)
        {
            return;
        }
        final long last = nextSequence - 1;
        if (last == durable.get() || syncChannel == null)
        {
            return;
        }
        try
        {
            // fdatasync of the whole cycle file rather than Chronicle's msync of the current chunk:
            // a batch that crossed a chunk boundary is covered too.
            syncChannel.force(false);
        }
        catch (final IOException ex)
        {
            failed = true;
            throw ex;
        }
        syncs.incrementAndGet();
        durable.set(last);
    }

    /**
     * The appender moved to another file (a new roll cycle): the previous file must reach the
     * disk before this batch's replies, so force it now, then follow the new one.
     */
    private void switchSyncedFile(final File current) throws IOException
    {
        if (syncChannel != null)
        {
            syncChannel.force(false);
            syncChannel.close();
        }
        syncedFile = current;
        syncChannel = FileChannel.open(current.toPath(), StandardOpenOption.WRITE);
    }

    /** The sequence of the last record appended (written to the page cache). Any thread. */
    public long appendedSequence()
    {
        return appended.get();
    }

    /** The last sequence that survives what the sync policy promises to survive. Any thread. */
    public long durableSequence()
    {
        return durable.get();
    }

    /** True once an append or a sync has failed: nothing more will become durable. Any thread. */
    public boolean failed()
    {
        return failed;
    }

    /** Syncs done so far ({@link SyncPolicy#BATCH} only). Any thread. */
    public long syncCount()
    {
        return syncs.get();
    }

    public SyncPolicy syncPolicy()
    {
        return sync;
    }

    /** Releases the sync channel. Call after the journal thread has stopped; the queue is closed by its owner. */
    public void close() throws IOException
    {
        if (syncChannel != null)
        {
            syncChannel.close();
            syncChannel = null;
        }
        reservation.close();
        if (appender != null)
        {
            appender.singleThreadedCheckReset();
            appender.close();
            appender = null;
        }
    }
}
