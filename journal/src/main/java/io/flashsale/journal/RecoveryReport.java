package io.flashsale.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * What start-up recovery did: which snapshot it started from (and which it passed over, and why),
 * how many journaled commands it replayed, what it cut off when told to, and how long it took.
 *
 * @param snapshot           the snapshot used, or null when the engine was rebuilt from the journal alone
 * @param snapshotSequence   the journal sequence the snapshot covers (0 without one)
 * @param skippedSnapshots   newer snapshots not used, each with the reason
 * @param commandsReplayed   journal records applied after the snapshot
 * @param lastSequence       the journal sequence of the last record; the next command gets the one after
 * @param truncated          what was cut off (only with truncateTornTail), or null
 * @param snapshotMillis     time to read the snapshot
 * @param replayMillis       time to replay the journal
 * @param totalMillis        time for the whole recovery, opening the queue included
 */
public record RecoveryReport(
    Path snapshot,
    long snapshotSequence,
    List<String> skippedSnapshots,
    long commandsReplayed,
    long lastSequence,
    String truncated,
    long snapshotMillis,
    long replayMillis,
    long totalMillis)
{
    /** Replay speed in commands per second, 0 when nothing was replayed. */
    public double replayRate()
    {
        return commandsReplayed == 0 ? 0 : commandsReplayed * 1000.0 / Math.max(1, replayMillis);
    }

    /** One line for the log. */
    @Override
    public String toString()
    {
        final StringBuilder line = new StringBuilder("recovered ").append(lastSequence).append(" journaled commands in ")
            .append(totalMillis).append(" ms: ");
        if (snapshot == null)
        {
            line.append("no snapshot");
        }
        else
        {
            line.append("snapshot ").append(snapshot.getFileName()).append(" (").append(snapshotSequence)
                .append(" commands, ").append(snapshotMillis).append(" ms)");
        }
        line.append(" + ").append(commandsReplayed).append(" replayed from the journal (").append(replayMillis).append(" ms");
        if (commandsReplayed > 0)
        {
            line.append(", ").append(String.format("%.2fM/s", replayRate() / 1e6));
        }
        line.append(')');
        if (!skippedSnapshots.isEmpty())
        {
            line.append("; skipped ").append(String.join("; ", skippedSnapshots));
        }
        if (truncated != null)
        {
            line.append("; TRUNCATED ").append(truncated);
        }
        return line.toString();
    }
}
