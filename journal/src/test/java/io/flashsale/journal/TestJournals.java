package io.flashsale.journal;

import io.flashsale.journal.process.ChildJava;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Real journals for tests of other packages: built through the pipeline, then damaged on purpose. */
public final class TestJournals
{
    /** A journal built by {@link #build}: how many commands it holds and the engine's state hash at the end. */
    public record Built(int journaled, long hash)
    {
    }

    private TestJournals()
    {
    }

    /**
     * Runs a seeded workload through a durable engine in {@code dir} and closes it; with a snapshot
     * half way when asked.
     */
    public static Built build(final Path dir, final long seed, final int sales, final int steps, final boolean snapshotHalfWay)
    {
        final JournalConfig config = new JournalConfig(dir).snapshotEveryCommands(0).snapshotEverySeconds(0);
        try (Harness harness = Harness.open(config, new AtomicLong(Harness.T0)))
        {
            final Workload workload = new Workload(harness, seed).withSales(sales, 60);
            workload.run(steps / 2);
            if (snapshotHalfWay)
            {
                harness.snapshotAndWait();
            }
            final int journaled = workload.run(steps - steps / 2);
            return new Built(journaled, harness.closeAndHash());
        }
    }

    public static void copyTree(final Path from, final Path to) throws IOException
    {
        RecoveryTest.copyTree(from, to);
    }

    /** Flips a byte inside the n-th record; returns where the record is. */
    public static JournalBytes.Location flipByte(final Path queueDir, final long nth, final int byteInRecord) throws IOException
    {
        return JournalBytes.flipByte(queueDir, nth, byteInRecord);
    }

    /** Leaves an unfinished write at the end of the journal, from a child JVM that halts in the middle of it. */
    public static void tornWrite(final Path queueDir, final long sequence) throws IOException, InterruptedException
    {
        final int exit = ChildJava.run(List.of("-Xmx512m"), TornWriteChild.class, queueDir.toString(), String.valueOf(sequence));
        if (exit != 137)
        {
            throw new AssertionError("the torn-write child exited with " + exit);
        }
    }

    public static List<String> snapshotNames(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir.resolve(JournalConfig.SNAPSHOT_FOLDER)))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap")).sorted().toList();
        }
    }
}
