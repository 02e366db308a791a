package io.flashsale.journal.queue;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.journal.codec.CommandCodec;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.util.NavigableSet;

/**
 * Reads journal records in order, checking each one: its checksum and format, and that its
 * journal sequence is the one expected (no gap, no repeat). The first record that fails stops the
 * reader with {@link Status#CORRUPT}; it never skips.
 *
 * <p>Also remembers where the last sound record ends (file and byte offset) so that the tail
 * after it can be inspected for a torn write, see {@link TailInspector}.
 *
 * <p>Single-threaded: the thread that created it.
 */
public final class JournalReader implements AutoCloseable
{
    /** What {@link #next} found. */
    public enum Status
    {
        /** A sound record, decoded into the event. */
        RECORD,
        /** No more complete records. */
        END,
        /** A record that is damaged or out of sequence; see {@link #problem()}. */
        CORRUPT
    }

    /** Where {@link #positionAfter} left the reader. */
    public enum Position
    {
        /** The next record read is the one after the given sequence. */
        FOUND,
        /** The journal's last record comes before the given sequence. */
        JOURNAL_ENDS_BEFORE,
        /** The journal's first record comes after the one after the given sequence. */
        JOURNAL_STARTS_AFTER,
        /** A damaged record was met while looking; see {@link #problem()}. */
        CORRUPT
    }

    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final ExcerptTailer tailer;
    private final CommandCodec codec = new CommandCodec();
    private final CommandEvent scratch = new CommandEvent();

    private long expectedSequence = 1;
    private long index = -1;
    private long lastSequence;
    private long lastIndex = -1;
    private File endFile;
    private long endOffset = -1;
    private String problem;
    private int recordLength;
    private boolean problemIsGap;

    public JournalReader(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.tailer = queue.createTailer();
    }

    /** Back to the first record of the journal, which must be sequence 1. */
    public JournalReader toStart()
    {
        tailer.toStart();
        expectedSequence = 1;
        lastSequence = 0;
        return this;
    }

    /**
     * Positions the reader so that the next record read is {@code sequence + 1}. The record
     * {@code sequence} itself is read and checked on the way (for 0, the reader goes to the start).
     * Finds the cycle by its first record and computes the index inside it, so the cost does not
     * grow with the journal.
     */
    public Position positionAfter(final long sequence)
    {
        toStart();
        if (sequence == 0)
        {
            return Position.FOUND;
        }
        final int firstCycle = queue.firstCycle();
        final int lastCycle = queue.lastCycle();
        if (firstCycle == Integer.MAX_VALUE || lastCycle < firstCycle)
        {
            return Position.JOURNAL_ENDS_BEFORE;
        }
        final NavigableSet<Long> cycles = queue.listCyclesBetween(firstCycle, lastCycle);
        for (final Long boxed : cycles.descendingSet())
        {
            final int cycle = boxed.intValue();
            final long firstIndex = rollCycle.toIndex(cycle, 0);
            if (!tailer.moveToIndex(firstIndex))
            {
                continue;
            }
            final Status first = readOne(scratch, false);
            if (first == Status.END)
            {
                continue;
            }
            if (first == Status.CORRUPT)
            {
                return Position.CORRUPT;
            }
            final long firstSequence = codec.sequence();
            if (firstSequence > sequence)
            {
                continue;
            }
            final long target = rollCycle.toIndex(cycle, sequence - firstSequence);
            if (tailer.moveToIndex(target) && readOne(scratch, false) == Status.RECORD && codec.sequence() == sequence)
            {
                return accept(sequence);
            }
            return scanCycleFor(firstIndex, sequence);
        }
        tailer.toStart();
        final Status first = readOne(scratch, false);
        if (first == Status.CORRUPT)
        {
            return Position.CORRUPT;
        }
        return first == Status.END ? Position.JOURNAL_ENDS_BEFORE : Position.JOURNAL_STARTS_AFTER;
    }

    /** The slow way, for a cycle whose indexes do not follow the sequences (never expected). */
    private Position scanCycleFor(final long firstIndex, final long sequence)
    {
        tailer.moveToIndex(firstIndex);
        while (true)
        {
            final Status status = readOne(scratch, false);
            if (status == Status.CORRUPT)
            {
                return Position.CORRUPT;
            }
            if (status == Status.END)
            {
                return Position.JOURNAL_ENDS_BEFORE;
            }
            if (codec.sequence() == sequence)
            {
                return accept(sequence);
            }
            if (codec.sequence() > sequence)
            {
                problem = "sequence " + sequence + " is missing: index " + indexText(index) + " holds " + codec.sequence();
                return Position.CORRUPT;
            }
        }
    }

    private Position accept(final long sequence)
    {
        expectedSequence = sequence + 1;
        lastSequence = sequence;
        lastIndex = index;
        return Position.FOUND;
    }

    /** Reads the next record into {@code into} (input fields only). */
    public Status next(final CommandEvent into)
    {
        final Status status = readOne(into, true);
        if (status == Status.RECORD)
        {
            lastSequence = codec.sequence();
            lastIndex = index;
            expectedSequence = lastSequence + 1;
        }
        return status;
    }

    private Status readOne(final CommandEvent into, final boolean checkSequence)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return Status.END;
            }
            index = dc.index();
            final Bytes<?> bytes = dc.wire().bytes();
            final long length = bytes.readRemaining();
            final long end = bytes.readLimit();
            if (length > CommandCodec.MAX_RECORD_LENGTH)
            {
                problem = "excerpt of " + length + " bytes is not a journal record";
                return Status.CORRUPT;
            }
            bytes.read(codec.array(), 0, (int)length);
            if (!codec.decode((int)length, into))
            {
                problem = codec.error();
                return Status.CORRUPT;
            }
            recordLength = (int)length;
            problemIsGap = false;
            if (checkSequence && codec.sequence() != expectedSequence)
            {
                problem = "sequence " + codec.sequence() + " where " + expectedSequence + " was expected";
                problemIsGap = true;
                return Status.CORRUPT;
            }
            if (bytes instanceof MappedBytes)
            {
                endFile = ((MappedBytes)bytes).mappedFile().file();
                endOffset = end;
            }
            return Status.RECORD;
        }
    }

    /** The journal sequence of the last record read (or passed by {@link #positionAfter}). */
    public long sequence()
    {
        return lastSequence;
    }

    /** The checksum of the last record read: with its sequence and timestamp, the record's identity. */
    public int checksum()
    {
        return codec.checksum();
    }

    /**
     * The bytes of the last record read, exactly as journaled (the first {@link #recordLength()}):
     * what replication sends. Valid until the next read.
     */
    public byte[] recordArray()
    {
        return codec.array();
    }

    public int recordLength()
    {
        return recordLength;
    }

    /** The sequence the next record must have. */
    public long expectedSequence()
    {
        return expectedSequence;
    }

    /** The ring sequence of the last record read, or {@link CommandCodec#NO_RING_SEQUENCE}. */
    public long ringSequence()
    {
        return codec.ringSequence();
    }

    /** The Chronicle index of the last excerpt looked at, sound or not. */
    public long index()
    {
        return index;
    }

    /** The Chronicle index of the last sound record, -1 before any. */
    public long lastGoodIndex()
    {
        return lastIndex;
    }

    /** The file holding the last sound record, null before any. */
    public File endFile()
    {
        return endFile;
    }

    /** The byte offset just after the last sound record in {@link #endFile()}. */
    public long endOffset()
    {
        return endOffset;
    }

    /** What was wrong with the record that stopped the reader. */
    public String problem()
    {
        return problem;
    }

    /** True when the record that stopped the reader was sound but out of sequence. */
    public boolean problemIsGap()
    {
        return problemIsGap;
    }

    /**
     * After {@link Status#CORRUPT}: whether any sound record (checksum and format) follows the bad
     * one. None means the damage is the journal's tail and can be cut off without losing a sound
     * record. Consumes the rest of the journal.
     */
    public boolean soundRecordFollows()
    {
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return false;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final long length = bytes.readRemaining();
                if (length <= CommandCodec.MAX_RECORD_LENGTH)
                {
                    bytes.read(codec.array(), 0, (int)length);
                    if (codec.decode((int)length, scratch))
                    {
                        return true;
                    }
                }
            }
        }
    }

    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /** Chronicle indexes as cycle:position, the way operators find them in a dump. */
    public String indexText(final long chronicleIndex)
    {
        if (chronicleIndex < 0)
        {
            return "none";
        }
        return "0x" + Long.toHexString(chronicleIndex) + " (cycle " + rollCycle.toCycle(chronicleIndex) +
            ", #" + rollCycle.toSequenceNumber(chronicleIndex) + ")";
    }

    @Override
    public void close()
    {
        tailer.close();
    }
}
