package io.flashsale.journal.audit;

import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.queue.JournalQueues;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders of a journal named on a command line: accepts the data folder (holding
 * {@code journal/} and {@code snapshots/}) or the {@code journal/} folder itself, and says clearly
 * what is wrong when it is neither.
 *
 * @param root      the data folder
 * @param queue     the Chronicle Queue folder
 * @param snapshots the snapshot folder (may not exist)
 */
public record JournalFolder(Path root, Path queue, Path snapshots)
{
    /** @throws UnreadableJournalException for a missing folder, or one without a journal */
    public static JournalFolder resolve(final Path given) throws UnreadableJournalException
    {
        if (!Files.exists(given))
        {
            throw new UnreadableJournalException("no such folder: " + given);
        }
        if (!Files.isDirectory(given))
        {
            throw new UnreadableJournalException("not a folder: " + given);
        }
        try
        {
            final Path nested = given.resolve(JournalConfig.QUEUE_FOLDER);
            if (JournalQueues.hasCycleFiles(nested))
            {
                return new JournalFolder(given, nested, given.resolve(JournalConfig.SNAPSHOT_FOLDER));
            }
            if (JournalQueues.hasCycleFiles(given))
            {
                final Path root = given.toAbsolutePath().getParent();
                return new JournalFolder(root, given, root.resolve(JournalConfig.SNAPSHOT_FOLDER));
            }
        }
        catch (final IOException ex)
        {
            throw new UnreadableJournalException("cannot list " + given + ": " + ex.getMessage());
        }
        throw new UnreadableJournalException("empty journal: no Chronicle cycle files (*" + JournalQueues.CYCLE_FILE_SUFFIX +
            ") in " + given + " or " + given.resolve(JournalConfig.QUEUE_FOLDER));
    }
}
