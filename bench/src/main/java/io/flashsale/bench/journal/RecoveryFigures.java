package io.flashsale.bench.journal;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.RecoveryReport;
import io.flashsale.journal.SyncPolicy;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import io.flashsale.journal.queue.JournalWriter;
import io.flashsale.journal.snapshot.ByteArrayDataOutput;
import io.flashsale.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Recovery speed: writes a journal of N commands (default 10 million: purchases, payments,
 * cancellations and ticks over four sales that sell out), then times {@link DurableEngine#open}
 * from the journal alone and with a snapshot 100 000 commands before the end. A single-shot
 * measurement, so each case runs several times and every run is printed; the first open of the
 * JVM pays for class loading.
 *
 * <pre>
 *   java $FLAGS -Xmx6g -cp bench/target/classes:bench/target/lib/* io.flashsale.bench.journal.RecoveryFigures [commands] [runs]
 * </pre>
 */
public final class RecoveryFigures
{
    private static final long T0 = 1_750_000_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(final String[] args) throws Exception
    {
        final long commands = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final Path dir = Files.createTempDirectory("recovery-bench");
        try
        {
            final long start = System.nanoTime();
            final Path stashed = generate(dir, commands, commands - 100_000);
            System.out.printf("wrote %,d journaled commands in %.1f s (%,d MB on disk)%n",
                commands, (System.nanoTime() - start) / 1e9, size(dir.resolve(JournalConfig.QUEUE_FOLDER)) >> 20);

            final List<Double> readRates = new ArrayList<>();
            for (int i = 0; i < runs; i++)
            {
                readRates.add(readOnly(dir));
            }
            final List<RecoveryReport> plain = new ArrayList<>();
            for (int i = 0; i < runs; i++)
            {
                plain.add(open(dir));
            }
            Files.createDirectories(dir.resolve(JournalConfig.SNAPSHOT_FOLDER));
            Files.move(stashed, new SnapshotStore(dir.resolve(JournalConfig.SNAPSHOT_FOLDER)).pathFor(commands - 100_000));
            final List<RecoveryReport> withSnapshot = new ArrayList<>();
            for (int i = 0; i < runs; i++)
            {
                withSnapshot.add(open(dir));
            }

            System.out.println();
            System.out.printf("journal read alone (tailer, checksum, decode; no engine): %s M records/s%n",
                readRates.stream().map(r -> String.format("%.2f", r / 1e6)).toList());
            System.out.printf("start with %,d journaled commands, journal only:%n", commands);
            for (final RecoveryReport report : plain)
            {
                System.out.printf("  %,6d ms to start, replay %,d commands in %,d ms = %.2f M commands/s%n",
                    report.totalMillis(), report.commandsReplayed(), report.replayMillis(), report.replayRate() / 1e6);
            }
            System.out.printf("start with %,d journaled commands, snapshot at %,d:%n", commands, commands - 100_000);
            for (final RecoveryReport report : withSnapshot)
            {
                System.out.printf("  %,6d ms to start (snapshot %,d ms, replay %,d commands in %,d ms)%n",
                    report.totalMillis(), report.snapshotMillis(), report.commandsReplayed(), report.replayMillis());
            }
        }
        finally
        {
            delete(dir);
        }
    }

    /** Reads every record as recovery does, without applying it: the journal's share of a replay. */
    private static double readOnly(final Path dir) throws Exception
    {
        try (SingleChronicleQueue queue = JournalQueues.openForWriting(dir.resolve(JournalConfig.QUEUE_FOLDER), RollCycles.FAST_DAILY);
             JournalReader reader = new JournalReader(queue))
        {
            reader.toStart();
            final CommandEvent into = new CommandEvent();
            final long start = System.nanoTime();
            final long cpuStart = THREADS.getCurrentThreadCpuTime();
            long records = 0;
            while (reader.next(into) == JournalReader.Status.RECORD)
            {
                records++;
            }
            final long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
            System.out.printf("  read %,d records: %.2f M/s wall, %.2f M per CPU-second%n", records, records * 1e3 / (System.nanoTime() - start),
                records * 1e3 / cpu);
            return records * 1e9 / (System.nanoTime() - start);
        }
    }

    /** Opens the engine on this thread; prints the report and the CPU time the opening thread got. */
    private static RecoveryReport open(final Path dir)
    {
        System.gc();
        final long cpuStart = THREADS.getCurrentThreadCpuTime();
        try (DurableEngine durable = DurableEngine.open(new JournalConfig(dir).snapshotEveryCommands(0).snapshotEverySeconds(0)))
        {
            final long cpuMillis = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
            System.out.println("  " + durable.recovery() + " [" + cpuMillis + " ms of CPU on the opening thread]");
            return durable.recovery();
        }
    }

    /**
     * Appends {@code total} commands through the journal writer (as the journal stage would, minus
     * the ring) and applies them to an engine to learn the order ids payments need. Writes a
     * snapshot at {@code snapshotAt} into a side file; returns it.
     */
    private static Path generate(final Path dir, final long total, final long snapshotAt) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(7);
        final SaleEngine engine = new SaleEngine(1 << 22, new SaleViews());
        final CommandEvent command = new CommandEvent();
        final long[] reserved = new long[1 << 16];
        int reservedCount = 0;
        Path snapshot = null;
        try (SingleChronicleQueue queue = JournalQueues.openForWriting(dir.resolve(JournalConfig.QUEUE_FOLDER), RollCycles.FAST_DAILY))
        {
            final JournalWriter writer = new JournalWriter(queue, SyncPolicy.ASYNC, 0);
            long now = T0;
            for (long i = 1; i <= total; i++)
            {
                command.clear();
                if ((i & 15) == 0)
                {
                    now++;
                }
                command.timestamp = now;
                final int dice = random.nextInt(100);
                if (i <= 4)
                {
                    command.type = CommandType.CREATE_SALE;
                    command.setText("sale " + i);
                    command.stock = 3_000_000;
                    command.startsAt = T0 - 1;
                    command.endsAt = T0 + 86_400_000L;
                    command.perUserLimit = 4;
                    command.paymentWindowMillis = 60_000;
                }
                else if (i % 1_000 == 0)
                {
                    command.type = CommandType.TICK;
                }
                else if (dice < 18 && reservedCount > 0)
                {
                    final int pick = random.nextInt(reservedCount);
                    command.type = CommandType.PAY;
                    command.orderId = reserved[pick];
                    command.userId = engine.orders().userId(reserved[pick]);
                    command.setText("card");
                    reserved[pick] = reserved[--reservedCount];
                }
                else if (dice < 24 && reservedCount > 0)
                {
                    final int pick = random.nextInt(reservedCount);
                    command.type = CommandType.CANCEL;
                    command.orderId = reserved[pick];
                    command.userId = engine.orders().userId(reserved[pick]);
                    reserved[pick] = reserved[--reservedCount];
                }
                else
                {
                    command.type = CommandType.PURCHASE;
                    command.saleId = 1 + random.nextInt(4);
                    command.userId = 1 + random.nextInt(2_000_000);
                    command.qty = 1 + random.nextInt(2);
                    command.idempotencyKey = random.nextBoolean() ? 0 : random.nextLong();
                }
                writer.append(command);
                engine.apply(command);
                if (command.outcome == Outcome.RESERVED && reservedCount < reserved.length)
                {
                    reserved[reservedCount++] = command.resultOrderId;
                }
                if (i == snapshotAt)
                {
                    snapshotStall(engine);
                    final ByteArrayDataOutput state = new ByteArrayDataOutput(64 * engine.orders().count());
                    EngineSnapshot.write(engine, state);
                    final Path written = new SnapshotStore(dir.resolve("stash")).write(state.array(), state.length(), i, engine.now());
                    snapshot = written;
                }
            }
            writer.endOfBatch();
            writer.close();
            System.out.printf("engine after generation: %d orders, sales available %d/%d/%d/%d%n", engine.orders().count(),
                engine.sale(1).available, engine.sale(2).available, engine.sale(3).available, engine.sale(4).available);
        }
        return snapshot;
    }

    /**
     * How long a snapshot holds the business thread: the cut it takes now (array copies; the
     * serialising happens on the writer thread), against serialising the engine right there, as
     * snapshots did before. Three of each, alternated.
     */
    private static void snapshotStall(final SaleEngine engine) throws Exception
    {
        final StringBuilder cuts = new StringBuilder();
        final StringBuilder serialised = new StringBuilder();
        for (int round = 0; round < 3; round++)
        {
            long start = System.nanoTime();
            final EngineSnapshot.Cut cut = EngineSnapshot.cut(engine);
            cuts.append(round == 0 ? "" : ", ").append(String.format("%.1f", (System.nanoTime() - start) / 1e6));
            start = System.nanoTime();
            final ByteArrayDataOutput state = new ByteArrayDataOutput(64 * engine.orders().count());
            EngineSnapshot.write(engine, state);
            serialised.append(round == 0 ? "" : ", ").append(String.format("%.1f", (System.nanoTime() - start) / 1e6));
            if (cut.orderCount() != engine.orders().count())
            {
                throw new IllegalStateException("the cut lost orders");
            }
        }
        System.out.printf("snapshot of %,d orders holds the business thread: cut [%s] ms (serialising there instead: [%s] ms)%n",
            engine.orders().count(), cuts, serialised);
    }

    private static long size(final Path folder) throws Exception
    {
        try (Stream<Path> files = Files.walk(folder))
        {
            long bytes = 0;
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                // allocated size would be kinder to sparse Chronicle files; the logical length is what a copy moves
                bytes += Files.size(file);
            }
            return bytes;
        }
    }

    private static void delete(final Path dir) throws Exception
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
