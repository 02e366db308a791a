package io.flashsale.journal.queue;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Opens the journal's Chronicle Queue the one way the journal needs it. Any thread. */
public final class JournalQueues
{
    /** Chronicle's extension for one roll cycle's file. */
    public static final String CYCLE_FILE_SUFFIX = ".cq4";

    /**
     * How long Chronicle waits for a lock held by a live writer before it gives up. A writer that
     * died is detected by its pid at once, so this only matters when two live processes compete.
     */
    private static final long TIMEOUT_MILLIS = 2_000;

    private JournalQueues()
    {
    }

    /** Opens (creating when missing) the queue for appending and replay. */
    public static SingleChronicleQueue openForWriting(final Path queueDir, final RollCycles rollCycle) throws IOException
    {
        Files.createDirectories(queueDir);
        return SingleChronicleQueueBuilder.binary(queueDir)
            .rollCycle(rollCycle)
            .timeoutMS(TIMEOUT_MILLIS)
            .build();
    }

    /**
     * Opens an existing queue for the tools. Read-only, so a tool never takes the write lock from a
     * running engine and never changes a journal it is inspecting.
     */
    public static SingleChronicleQueue openForReading(final Path queueDir) throws IOException
    {
        if (!hasCycleFiles(queueDir))
        {
            throw new IOException("no journal in " + queueDir + " (no *" + CYCLE_FILE_SUFFIX + " files)");
        }
        return SingleChronicleQueueBuilder.binary(queueDir)
            .readOnly(true)
            .timeoutMS(TIMEOUT_MILLIS)
            .build();
    }

    /** Opens a queue that appends into one fixed cycle: for rewriting a damaged cycle file. */
    static SingleChronicleQueue openPinnedToCycle(final Path queueDir, final RollCycle rollCycle, final long epoch, final int cycle)
    {
        final long cycleStartMillis = epoch + (long)cycle * rollCycle.lengthInMillis();
        return SingleChronicleQueueBuilder.binary(queueDir)
            .rollCycle(rollCycle)
            .epoch(epoch)
            .timeProvider(new SetTimeProvider(0).advanceMillis(cycleStartMillis))
            .timeoutMS(TIMEOUT_MILLIS)
            .build();
    }

    public static boolean hasCycleFiles(final Path queueDir) throws IOException
    {
        if (!Files.isDirectory(queueDir))
        {
            return false;
        }
        try (Stream<Path> files = Files.list(queueDir))
        {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(CYCLE_FILE_SUFFIX));
        }
    }

    /** The file that holds a cycle, or null when the cycle has none. */
    public static File fileOf(final SingleChronicleQueue queue, final int cycle)
    {
        final SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null)
        {
            return null;
        }
        try
        {
            return store.file();
        }
        finally
        {
            queue.closeStore(store);
        }
    }
}
