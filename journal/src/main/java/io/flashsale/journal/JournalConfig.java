package io.flashsale.journal;

import io.flashsale.journal.space.JournalSpaceGuard;
import net.openhft.chronicle.queue.RollCycles;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the journal lives and how it behaves. Plain fields with defaults; set them (directly or
 * through the fluent setters) before {@link DurableEngine#open}.
 *
 * <p>Layout under {@link #directory}: {@code journal/} holds the Chronicle Queue (one
 * {@code yyyyMMdd'F'.cq4} file per UTC day with the default roll cycle, plus
 * {@code metadata.cq4t}); {@code snapshots/} holds {@code snapshot-<sequence>.snap} files.
 */
public final class JournalConfig
{
    /** The sub-folder of {@link #directory} that holds the Chronicle Queue. */
    public static final String QUEUE_FOLDER = "journal";
    /** The sub-folder of {@link #directory} that holds the snapshots. */
    public static final String SNAPSHOT_FOLDER = "snapshots";

    /** The root folder; created when missing. */
    public Path directory;
    public SyncPolicy sync = SyncPolicy.ASYNC;
    /** Publish a SNAPSHOT after this many journaled commands since the last one; 0 = never. */
    public long snapshotEveryCommands = 1_000_000;
    /** Publish a SNAPSHOT this often when commands arrived since the last one; 0 = never. */
    public long snapshotEverySeconds = 60;
    /** Snapshots kept on disk; older ones are deleted after a new one is written. At least 1. */
    public int keepSnapshots = 3;
    /**
     * Recovery drops a torn or corrupt journal tail only when this is true; otherwise it refuses to
     * start and reports the index. Set it for one start after reading the report, not permanently.
     */
    public boolean truncateTornTail;
    /**
     * Below this many usable bytes on the journal's file system, {@link DurableEngine#spaceGuard()}
     * engages (the server refuses state-changing commands) and no snapshot is written; 0 turns
     * the guard off. The default is sized to Chronicle's mapped chunk, see
     * {@link JournalSpaceGuard#DEFAULT_MIN_FREE_BYTES}.
     */
    public long minFreeBytes = JournalSpaceGuard.DEFAULT_MIN_FREE_BYTES;
    /**
     * How often the queue starts a new file. FAST_DAILY: one file per UTC day, up to 2^32 records
     * per day, a readable file name. Only read when the queue is created; an existing queue keeps
     * the cycle it was created with.
     */
    public RollCycles rollCycle = RollCycles.FAST_DAILY;

    public JournalConfig()
    {
    }

    public JournalConfig(final Path directory)
    {
        this.directory = directory;
    }

    public JournalConfig directory(final Path dir)
    {
        this.directory = dir;
        return this;
    }

    public JournalConfig sync(final SyncPolicy policy)
    {
        this.sync = policy;
        return this;
    }

    public JournalConfig snapshotEveryCommands(final long commands)
    {
        this.snapshotEveryCommands = commands;
        return this;
    }

    public JournalConfig snapshotEverySeconds(final long seconds)
    {
        this.snapshotEverySeconds = seconds;
        return this;
    }

    public JournalConfig keepSnapshots(final int count)
    {
        this.keepSnapshots = count;
        return this;
    }

    public JournalConfig truncateTornTail(final boolean truncate)
    {
        this.truncateTornTail = truncate;
        return this;
    }

    public JournalConfig minFreeBytes(final long bytes)
    {
        this.minFreeBytes = bytes;
        return this;
    }

    public JournalConfig rollCycle(final RollCycles cycle)
    {
        this.rollCycle = cycle;
        return this;
    }

    public Path queueDirectory()
    {
        return directory.resolve(QUEUE_FOLDER);
    }

    public Path snapshotDirectory()
    {
        return directory.resolve(SNAPSHOT_FOLDER);
    }

    /** @throws IllegalArgumentException naming the first field that makes no sense */
    public void validate()
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(rollCycle, "rollCycle");
        if (snapshotEveryCommands < 0 || snapshotEverySeconds < 0)
        {
            throw new IllegalArgumentException("snapshot intervals must be >= 0 (0 = off)");
        }
        if (minFreeBytes != 0 && minFreeBytes < JournalSpaceGuard.SMALLEST_MIN_FREE_BYTES)
        {
            throw new IllegalArgumentException("minFreeBytes must be 0 (no free-space guard) or at least " +
                JournalSpaceGuard.SMALLEST_MIN_FREE_BYTES + " (the journal allocates 4 MiB ahead of its writes), was " + minFreeBytes);
        }
        if (keepSnapshots < 1)
        {
            throw new IllegalArgumentException("keepSnapshots must be >= 1, was " + keepSnapshots);
        }
    }

    @Override
    public String toString()
    {
        return "JournalConfig{" + directory + " sync=" + sync + " snapshotEveryCommands=" + snapshotEveryCommands +
            " snapshotEverySeconds=" + snapshotEverySeconds + " keepSnapshots=" + keepSnapshots +
            " truncateTornTail=" + truncateTornTail + " minFreeBytes=" + minFreeBytes + " rollCycle=" + rollCycle + '}';
    }
}
