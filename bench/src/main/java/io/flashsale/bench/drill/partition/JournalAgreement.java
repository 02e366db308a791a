package io.flashsale.bench.drill.partition;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether two stopped nodes' journals hold the same history up to a sequence: record by record
 * from the first, the journaled bytes (sequence, ring sequence, timestamp, command, checksum)
 * compared exactly. Main thread, after both nodes stopped.
 *
 * @param through   the sequence both must hold, identically, from 1
 * @param compared  how many records were compared equal
 * @param firstDifference what differed first, or null when they agree through {@code through}
 */
public record JournalAgreement(long through, long compared, String firstDifference)
{
    public boolean agrees()
    {
        return firstDifference == null && compared == through;
    }

    public static JournalAgreement compare(final Path journalA, final Path journalB, final long through) throws IOException
    {
        try (SingleChronicleQueue queueA = JournalQueues.openForReading(new JournalConfig(journalA).queueDirectory());
             SingleChronicleQueue queueB = JournalQueues.openForReading(new JournalConfig(journalB).queueDirectory());
             JournalReader a = new JournalReader(queueA);
             JournalReader b = new JournalReader(queueB))
        {
            final CommandEvent scratch = new CommandEvent();
            for (long seq = 1; seq <= through; seq++)
            {
                final JournalReader.Status statusA = a.next(scratch);
                final JournalReader.Status statusB = b.next(scratch);
                if (statusA != JournalReader.Status.RECORD || statusB != JournalReader.Status.RECORD)
                {
                    return new JournalAgreement(through, seq - 1, "at sequence " + seq + ": " + describe("first", statusA, a) + ", "
                        + describe("second", statusB, b));
                }
                if (!Arrays.equals(a.recordArray(), 0, a.recordLength(), b.recordArray(), 0, b.recordLength()))
                {
                    return new JournalAgreement(through, seq - 1, "record " + seq + " differs (" + a.recordLength() + " and "
                        + b.recordLength() + " bytes)");
                }
            }
            return new JournalAgreement(through, through, null);
        }
    }

    /** The sequence of a stopped node's last sound record (0 for none). */
    public static long lastSequence(final Path journal) throws IOException
    {
        try (SingleChronicleQueue queue = JournalQueues.openForReading(new JournalConfig(journal).queueDirectory());
             JournalReader reader = new JournalReader(queue))
        {
            final CommandEvent scratch = new CommandEvent();
            long last = 0;
            while (reader.next(scratch) == JournalReader.Status.RECORD)
            {
                last = reader.sequence();
            }
            return last;
        }
    }

    private static String describe(final String which, final JournalReader.Status status, final JournalReader reader)
    {
        return which + " journal " + (status == JournalReader.Status.RECORD ? "has it" : status + (reader.problem() == null ? "" : " " + reader.problem()));
    }
}
