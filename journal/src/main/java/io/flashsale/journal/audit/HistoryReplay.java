package io.flashsale.journal.audit;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import io.flashsale.journal.queue.TailInspector;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * Replays a journal's whole history, from sequence 1, into a fresh engine, and shows every
 * command with its outcome to a {@link Visitor}. The base of the ops tools: verify, stats, dump
 * and offline snapshots. Opens the queue read-only, so it can run beside a live engine.
 *
 * <p>Single-threaded.
 */
public final class HistoryReplay implements AutoCloseable
{
    /** Sees each command after the engine applied it. */
    @FunctionalInterface
    public interface Visitor
    {
        /**
         * @param sequence the journal sequence
         * @param index    the Chronicle index
         * @param command  the command with its result fields filled in
         * @param engine   the engine right after the command
         * @return false to stop the replay here
         */
        boolean onCommand(long sequence, long index, CommandEvent command, SaleEngine engine);
    }

    /**
     * How the replay ended.
     *
     * @param records      commands replayed
     * @param lastSequence sequence of the last sound record
     * @param stopped      true when the visitor stopped it
     * @param problem      null, or what is wrong with the record at {@code problemIndex}
     * @param problemIndex the Chronicle index of the damaged record, -1 without one
     * @param tail         what follows the last record (checked only when the replay reached the end)
     * @param poison       true when the problem is not the record but the engine, which threw on the
     *                     command at {@code problemIndex} (shown to the visitor with ENGINE_ERROR)
     */
    public record Result(long records, long lastSequence, boolean stopped, String problem, long problemIndex, String problemIndexText,
                         TailInspector.Tail tail, boolean poison)
    {
        public boolean damaged()
        {
            return problem != null;
        }

        /** One line for the operator: where the replay stopped and why. */
        public String problemSummary()
        {
            return poison
                ? "the engine threw on the command at sequence " + (lastSequence + 1) + " (index " + problemIndexText + "): " + problem
                : "damaged journal record at index " + problemIndexText + " after sequence " + lastSequence + ": " + problem;
        }
    }

    private final JournalFolder folder;
    private final SingleChronicleQueue queue;
    private final SaleEngine engine = new SaleEngine(1 << 16, new SaleViews());

    private HistoryReplay(final JournalFolder folder, final SingleChronicleQueue queue)
    {
        this.folder = folder;
        this.queue = queue;
    }

    public static HistoryReplay open(final JournalFolder folder) throws UnreadableJournalException
    {
        try
        {
            return new HistoryReplay(folder, JournalQueues.openForReading(folder.queue()));
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new UnreadableJournalException("cannot open the journal in " + folder.queue() + ": " + ex.getMessage(), ex);
        }
    }

    public JournalFolder folder()
    {
        return folder;
    }

    /** The engine the history is replayed into. */
    public SaleEngine engine()
    {
        return engine;
    }

    /** The sequence of the journal's last record, for progress bars; 0 when it cannot tell. */
    public long lastRecordSequence() throws UnreadableJournalException
    {
        try
        {
            return lastRecordSequence0();
        }
        catch (final Exception ex)
        {
            // Chronicle also throws checked exceptions undeclared (a damaged file header).
            throw unreadable(ex);
        }
    }

    private long lastRecordSequence0()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            final CommandCodec codec = new CommandCodec();
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return 0;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final int length = (int)Math.min(bytes.readRemaining(), CommandCodec.MAX_RECORD_LENGTH);
                bytes.read(codec.array(), 0, length);
                return codec.decode(length, new CommandEvent()) ? codec.sequence() : 0;
            }
        }
    }

    /**
     * Replays from the first record to the end, to the first damaged record, or until the visitor
     * says stop. {@code progress} receives the sequence every 64K records.
     */
    public Result replay(final Visitor visitor, final LongConsumer progress) throws IOException
    {
        return replay(visitor, progress, SaleEngine::apply);
    }

    /**
     * @param replayStep applies one command to the engine: {@link SaleEngine#apply}; tests put an
     *                   engine bug in front of it
     */
    Result replay(final Visitor visitor, final LongConsumer progress, final BiConsumer<SaleEngine, CommandEvent> replayStep) throws IOException
    {
        try
        {
            return replay0(visitor, progress, replayStep);
        }
        catch (final UnreadableJournalException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            // Chronicle's own structures (file headers, indexes) are damaged beyond what the records' checks see.
            throw unreadable(ex);
        }
    }

    private UnreadableJournalException unreadable(final Exception ex)
    {
        return new UnreadableJournalException("unreadable journal in " + folder.queue() + ": a queue file is damaged (" + ex + ")", ex);
    }

    private Result replay0(final Visitor visitor, final LongConsumer progress, final BiConsumer<SaleEngine, CommandEvent> replayStep)
        throws IOException
    {
        try (JournalReader reader = new JournalReader(queue))
        {
            reader.toStart();
            final CommandEvent command = new CommandEvent();
            long records = 0;
            JournalReader.Status status;
            while ((status = reader.next(command)) == JournalReader.Status.RECORD)
            {
                try
                {
                    replayStep.accept(engine, command);
                }
                catch (final RuntimeException | StackOverflowError ex)
                {
                    // A poison command: show it, then stop, as recovery does.
                    command.outcome = Outcome.ENGINE_ERROR;
                    visitor.onCommand(reader.sequence(), reader.index(), command, engine);
                    return new Result(records, reader.sequence() - 1, false,
                        CommandText.describe(command) + ": " + ex + " (a poison command: every replay fails on it; an engine bug)",
                        reader.index(), reader.indexText(reader.index()), null, true);
                }
                records++;
                if ((records & 0xFFFF) == 0)
                {
                    engine.publishViews();
                    progress.accept(reader.sequence());
                }
                if (!visitor.onCommand(reader.sequence(), reader.index(), command, engine))
                {
                    engine.publishViews();
                    return new Result(records, reader.sequence(), true, null, -1, null, null, false);
                }
            }
            engine.publishViews();
            progress.accept(reader.sequence());
            if (status == JournalReader.Status.CORRUPT)
            {
                return new Result(records, reader.sequence(), false, reader.problem(), reader.index(), reader.indexText(reader.index()), null, false);
            }
            return new Result(records, reader.sequence(), false, null, -1, null, inspectTail(reader), false);
        }
    }

    private TailInspector.Tail inspectTail(final JournalReader reader) throws IOException
    {
        final int lastCycle = queue.lastCycle();
        final File lastFile = lastCycle < 0 || lastCycle == Integer.MAX_VALUE ? null : JournalQueues.fileOf(queue, lastCycle);
        if (lastFile == null)
        {
            return null;
        }
        final boolean endsThere = reader.endFile() != null &&
            reader.endFile().getAbsoluteFile().toPath().normalize().equals(lastFile.getAbsoluteFile().toPath().normalize());
        return TailInspector.inspect(lastFile, endsThere ? reader.endOffset() : 0);
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
