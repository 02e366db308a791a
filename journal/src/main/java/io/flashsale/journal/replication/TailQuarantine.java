package io.flashsale.journal.replication;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import io.flashsale.journal.queue.JournalRepair;
import io.flashsale.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets aside the tail of an old primary's journal that the new primary never had: the commands it
 * journaled in its own epoch past the sequence where the new epoch begins. None of them was
 * acknowledged in sync mode (the standby that became the new primary never acknowledged them), so
 * they are moved to the journal folder's {@code quarantine} folder, never replayed, and the node
 * catches up from the new primary instead.
 *
 * <p>The tail is in the engine already once the node runs, so the cut happens at the next start:
 * the standby that learns it diverged {@link #mark}s the journal and ends; {@link #applyIfMarked}
 * cuts before recovery. Control thread.
 */
public final class TailQuarantine
{
    public static final String MARKER = "diverged-after";
    private static final System.Logger LOG = System.getLogger(TailQuarantine.class.getName());

    private TailQuarantine()
    {
    }

    /** Notes that the journal must be cut after {@code keepThrough} at the next start. */
    public static void mark(final Path journalDirectory, final long keepThrough) throws IOException
    {
        Files.writeString(journalDirectory.resolve(MARKER), keepThrough + "\n", StandardCharsets.US_ASCII);
    }

    /**
     * Before recovery: when the journal is marked, moves its records after the kept sequence and
     * any snapshot beyond it into quarantine, and removes the mark.
     *
     * @return what was done, or null when the journal was not marked
     */
    public static String applyIfMarked(final JournalConfig config) throws IOException
    {
        final Path marker = config.directory.resolve(MARKER);
        if (!Files.exists(marker))
        {
            return null;
        }
        final long keepThrough = Long.parseLong(Files.readString(marker, StandardCharsets.US_ASCII).trim());
        final Path quarantine = config.directory.resolve("quarantine");
        String report = "kept the journal through sequence " + keepThrough;
        long firstCutIndex = -1;
        long lastSequence = keepThrough;
        if (JournalQueues.hasCycleFiles(config.queueDirectory()))
        {
            try (SingleChronicleQueue queue = JournalQueues.openForReading(config.queueDirectory());
                 JournalReader reader = new JournalReader(queue))
            {
                if (reader.positionAfter(keepThrough) != JournalReader.Position.FOUND)
                {
                    throw new IOException("cannot set the diverged tail aside: the journal has no record " + keepThrough + " (" + reader.problem() + ")");
                }
                final CommandEvent scratch = new CommandEvent();
                if (reader.next(scratch) == JournalReader.Status.RECORD)
                {
                    firstCutIndex = reader.index();
                    while (reader.next(scratch) == JournalReader.Status.RECORD)
                    {
                        // counting the tail for the report
                    }
                    lastSequence = reader.sequence();
                }
            }
        }
        if (firstCutIndex >= 0)
        {
            report += "; set aside sequences " + (keepThrough + 1) + ".." + lastSequence + ": " +
                JournalRepair.cutAt(config.queueDirectory(), firstCutIndex, quarantine);
        }
        final SnapshotStore snapshots = new SnapshotStore(config.snapshotDirectory());
        for (final SnapshotStore.SnapshotFile file : snapshots.list())
        {
            if (file.sequence() > keepThrough)
            {
                report += "; moved snapshot " + file.path().getFileName() + " to " + snapshots.quarantine(file);
            }
        }
        Files.delete(marker);
        LOG.log(System.Logger.Level.WARNING, "QUARANTINED the tail this node journaled in an epoch the new primary superseded " +
            "(never acknowledged, never replayed): " + report);
        return report;
    }
}
