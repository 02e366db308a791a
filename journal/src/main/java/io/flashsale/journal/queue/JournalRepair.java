package io.flashsale.journal.queue;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cuts a journal back to its last sound record when the records after it are complete excerpts
 * that fail their checks (Chronicle cannot delete excerpts in place). The damaged cycle file is
 * rewritten with the excerpts before the cut, the original is moved to a quarantine folder next
 * to the journal (kept for inspection, never deleted), and later cycle files are moved there too.
 *
 * <p>Only recovery calls it, with the queue closed and only when the operator asked for
 * truncation. Single-threaded.
 */
public final class JournalRepair
{
    private JournalRepair()
    {
    }

    /**
     * Keeps the excerpts of {@code cycle} with an index below {@code firstBadIndex} and moves the
     * damaged file and every later cycle file to {@code quarantineDir}.
     *
     * @return a description of what was moved where
     */
    public static String cutAt(final Path queueDir, final long firstBadIndex, final Path quarantineDir) throws IOException
    {
        final RollCycle rollCycle;
        final long epoch;
        final File damaged;
        final List<File> later;
        final Path repairDir = queueDir.resolveSibling(queueDir.getFileName() + ".repair");
        deleteTree(repairDir);
        long kept = 0;
        try (SingleChronicleQueue source = JournalQueues.openForReading(queueDir))
        {
            rollCycle = source.rollCycle();
            epoch = source.epoch();
            final int cycle = rollCycle.toCycle(firstBadIndex);
            damaged = JournalQueues.fileOf(source, cycle);
            later = source.listCyclesBetween(source.firstCycle(), source.lastCycle()).stream()
                .filter(c -> c > cycle)
                .map(c -> JournalQueues.fileOf(source, c.intValue()))
                .filter(f -> f != null)
                .toList();
            try (SingleChronicleQueue target = JournalQueues.openPinnedToCycle(repairDir, rollCycle, epoch, cycle);
                 ExcerptTailer tailer = source.createTailer();
                 ExcerptAppender appender = target.createAppender())
            {
                final Bytes<?> copy = Bytes.allocateElasticOnHeap(256);
                if (tailer.moveToIndex(rollCycle.toIndex(cycle, 0)))
                {
                    while (true)
                    {
                        try (DocumentContext dc = tailer.readingDocument())
                        {
                            if (!dc.isPresent() || dc.index() >= firstBadIndex)
                            {
                                break;
                            }
                            copy.clear();
                            copy.write(dc.wire().bytes());
                        }
                        try (DocumentContext out = appender.writingDocument())
                        {
                            out.wire().bytes().write(copy);
                        }
                        kept++;
                    }
                }
                copy.releaseLast();
            }
        }
        Files.createDirectories(quarantineDir);
        final String stamp = Instant.now().toString().replace(':', '-');
        final StringBuilder report = new StringBuilder();
        final Path quarantined = quarantineDir.resolve(damaged.getName() + "." + stamp);
        Files.move(damaged.toPath(), quarantined);
        report.append("moved ").append(damaged.getName()).append(" to ").append(quarantined);
        final File rewritten = repairDir.resolve(damaged.getName()).toFile();
        if (kept > 0)
        {
            Files.move(rewritten.toPath(), damaged.toPath(), StandardCopyOption.ATOMIC_MOVE);
            report.append(" and rewrote it with its first ").append(kept).append(" excerpts");
        }
        for (final File file : later)
        {
            final Path target = quarantineDir.resolve(file.getName() + "." + stamp);
            Files.move(file.toPath(), target);
            report.append("; moved ").append(file.getName()).append(" to ").append(target);
        }
        deleteTree(repairDir);
        return report.toString();
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
