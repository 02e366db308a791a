package io.flashsale.journal.queue;

import io.flashsale.engine.command.CommandEvent;

import java.util.Arrays;

/**
 * Compares two journals record by record from their start: the same sequence, timestamp and
 * bytes (a record's bytes hold its sequence, ring sequence and timestamp), and where they first
 * part. What a standby's journal must be after catching up: the primary's, byte for byte.
 *
 * <p>Single-threaded: the thread that created the readers; it closes them.
 */
public final class JournalDiff
{
    private JournalDiff()
    {
    }

    /** What {@link #compare} found. */
    public record Result(long records, long bytes, long firstDifference, String difference)
    {
        /** Every record both journals hold is the same, and neither holds one more. */
        public boolean identical()
        {
            return difference == null;
        }

        @Override
        public String toString()
        {
            return identical() ? records + " identical records (" + bytes + " bytes)" :
                "the same through sequence " + records + ", then at " + firstDifference + ": " + difference;
        }
    }

    /** Reads both journals to their ends (or to the first difference) and closes the readers. */
    public static Result compare(final JournalReader left, final JournalReader right)
    {
        return compare(left, right, Long.MAX_VALUE);
    }

    /**
     * Reads both journals through sequence {@code through} (or to the first difference, or their
     * ends) and closes the readers: both must hold that many records, the same.
     */
    public static Result compare(final JournalReader left, final JournalReader right, final long through)
    {
        try (left; right)
        {
            left.toStart();
            right.toStart();
            final CommandEvent scratch = new CommandEvent();
            long records = 0;
            long bytes = 0;
            while (records < through)
            {
                final JournalReader.Status a = left.next(scratch);
                final JournalReader.Status b = right.next(scratch);
                final long at = records + 1;
                if (a == JournalReader.Status.CORRUPT || b == JournalReader.Status.CORRUPT)
                {
                    return new Result(records, bytes, at, "unreadable: " + (a == JournalReader.Status.CORRUPT ? left.problem() : right.problem()));
                }
                if (a == JournalReader.Status.END || b == JournalReader.Status.END)
                {
                    return a == b ? new Result(records, bytes, -1, null) :
                        new Result(records, bytes, at, (a == JournalReader.Status.END ? "the first" : "the second") + " journal ends there");
                }
                final int length = left.recordLength();
                if (length != right.recordLength() ||
                    !Arrays.equals(left.recordArray(), 0, length, right.recordArray(), 0, length))
                {
                    return new Result(records, bytes, at, "the records' bytes differ");
                }
                records++;
                bytes += length;
            }
            return new Result(records, bytes, -1, null);
        }
    }
}
