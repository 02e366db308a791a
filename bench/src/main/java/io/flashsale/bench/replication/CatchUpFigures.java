package io.flashsale.bench.replication;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.JournalPort;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.queue.JournalDiff;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import io.flashsale.journal.replication.EpochHistory;
import io.flashsale.journal.replication.ReplicationConfig;
import io.flashsale.journal.replication.ReplicationMode;
import io.flashsale.journal.replication.ReplicationPrimary;
import io.flashsale.journal.replication.Replicator;
import io.flashsale.journal.snapshot.ByteArrayDataOutput;
import io.flashsale.engine.sale.SaleViews;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * How fast a standby started empty catches up from a large journal, and what the primary serves
 * meanwhile, in one process over UDP on loopback:
 *
 * <ol>
 *   <li>the primary's journal of {@code records} commands (a sale, then purchases by distinct
 *       shoppers) is written straight through the journal writer and applied to the primary's engine
 *       on this thread, with no ring and no HTTP, so 10 M take seconds, not minutes;</li>
 *   <li>the primary's ring and replication end start (sync mode), and purchases arrive on it at a
 *       fixed {@code rate} per second for the whole run (open loop; 0: none), as a sale's
 *       shoppers would through the HTTP front;</li>
 *   <li>after a few seconds alone, an empty standby (its own journal, ring and engine) starts;
 *       the run reports records/s and MB/s until it has journaled the journal's last record as of
 *       its start, the time until the primary counts it in sync (LIVE), and the primary's purchases
 *       per second before, during and after the catch-up;</li>
 *   <li>both journals are compared record by record (same sequence, timestamp and bytes).</li>
 * </ol>
 * Both ends' media drivers, agents and rings share the machine's cores with the load generator.
 *
 * <pre>  scripts/bench-catch-up [RECORDS] [RATE] [DIR]   (default 10000000 20000 /tmp)</pre>
 */
public final class CatchUpFigures
{
    private static final byte[] SECRET = "bench-catch-up-secret".getBytes(StandardCharsets.UTF_8);
    private static final long SALE = 1;
    private static final int ALONE_SECONDS = 3;
    private static final int AFTER_SECONDS = 3;

    private CatchUpFigures()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long records = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        final int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        final Path parent = args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(parent);
        final Path root = Files.createTempDirectory(parent, "bench-catch-up");
        System.out.printf("catch-up figures: %,d records, purchases at %,d/s on the primary meanwhile, %s cores, in %s%n",
            records, rate, Runtime.getRuntime().availableProcessors(), root);
        try
        {
            run(root, records, rate);
        }
        finally
        {
            delete(root);
        }
    }

    private static void run(final Path root, final long records, final int rate) throws Exception
    {
        final JournalConfig primaryConfig = new JournalConfig(root.resolve("primary")).snapshotEveryCommands(0).snapshotEverySeconds(0);
        final long fillStart = System.nanoTime();
        try (DurableEngine filling = DurableEngine.open(primaryConfig))
        {
            fill(filling.journalPort(), records);
        }
        final double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        // Reopened: the engine recovers from the journal, and the journal's appender, which belongs to the thread that
        // first used it, is made anew by the ring's journal stage.
        final long recoveryStart = System.nanoTime();
        final DurableEngine durable = DurableEngine.open(primaryConfig);
        final double recoverySeconds = (System.nanoTime() - recoveryStart) / 1e9;
        if (durable.engine().saleCount() != 1)
        {
            throw new IllegalStateException("the bench's sale was not created");
        }
        System.out.printf("  the primary's journal: %,d records written through the journal writer in %.1f s (%,d bytes of files); recovered (replayed) in %.1f s = %,.0f records/s%n",
            durable.journalSequence(), fillSeconds, folderBytes(durable.config().queueDirectory()), recoverySeconds, durable.journalSequence() / recoverySeconds);

        final Replicator replicator = new Replicator(ReplicationMode.SYNC, durable.journalSequence(), durable::newReader);
        final CommandPipeline pipeline = CommandPipeline.start(durable.engine(),
            new PipelineConfig().journal(durable.journalPort()).snapshots(durable.snapshotPort()).replication(replicator));
        final ReplicationPrimary link = ReplicationPrimary.launch(new ReplicationConfig().primary(new LinkEndpoint("127.0.0.1", 0))
            .secret(SECRET).mode(ReplicationMode.SYNC).peerTimeoutMillis(10_000), replicator, durable::newReader, EpochHistory.load(root.resolve("primary")));
        final Load load = new Load(pipeline, rate);
        final Thread loadThread = new Thread(load, "catch-up-load");
        InProcessStandby standby = null;
        try
        {
            loadThread.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(ALONE_SECONDS));
            final long aloneCount = load.answered.get();
            final double aloneRate = aloneCount / (double)ALONE_SECONDS;

            final long target = replicator.lastSequence();
            final long startCount = load.answered.get();
            final long start = System.nanoTime();
            standby = new InProcessStandby(root.resolve("standby"), link.endpoint(), SECRET, 10_000);
            long journaledAt = 0;
            long liveAt = 0;
            long nextReport = start + TimeUnit.SECONDS.toNanos(5);
            final long deadline = start + TimeUnit.MINUTES.toNanos(15);
            while (liveAt == 0)
            {
                final long now = System.nanoTime();
                if (journaledAt == 0 && standby.link.journaledSequence() >= target)
                {
                    journaledAt = now;
                }
                if (replicator.inSync())
                {
                    liveAt = now;
                    if (journaledAt == 0)
                    {
                        journaledAt = now;
                    }
                }
                if (now - nextReport > 0)
                {
                    nextReport += TimeUnit.SECONDS.toNanos(5);
                    System.out.printf("    %4.0f s: standby journaled %,d of %,d (primary at %,d), primary answered %,d purchases since the standby's start%n",
                        (now - start) / 1e9, standby.link.journaledSequence(), target, replicator.lastSequence(), load.answered.get() - startCount);
                }
                if (now > deadline)
                {
                    throw new IllegalStateException("the standby was not in sync within 15 minutes: " + replicator.standbyState());
                }
                Thread.sleep(1);
            }
            final long duringCount = load.answered.get() - startCount;
            final double toJournaled = (journaledAt - start) / 1e9;
            final double toLive = (liveAt - start) / 1e9;
            final long afterStart = load.answered.get();
            Thread.sleep(TimeUnit.SECONDS.toMillis(AFTER_SECONDS));
            final double afterRate = (load.answered.get() - afterStart) / (double)AFTER_SECONDS;
            load.stop.set(true);
            loadThread.join();
            final long caughtUp = replicator.lastSequence();
            System.out.printf("  in sync (LIVE) after %.2f s from the standby's start (its recovery and join included); the primary was at %,d by then%n",
                toLive, caughtUp);
            System.out.printf("  primary purchases answered/s (offered %,d/s, sync mode): alone before %,.0f; during the catch-up %,.0f; with the standby in sync %,.0f; due but not sent (%d waiting) %,d%n",
                rate, aloneRate, duringCount / toLive, afterRate, Load.IN_FLIGHT, load.notSent.get());
            standby.close();
            standby = null;
            final JournalDiff.Result diff = compare(durable, root.resolve("standby"), caughtUp);
            final double recordBytes = diff.bytes() / (double)diff.records();
            System.out.printf("catch-up: %,d records (the primary's journal at the standby's start) journaled by the empty standby in %.2f s = %,.0f records/s, %.1f MB/s of records (%.0f bytes a record)%n",
                target, toJournaled, target / toJournaled, target * recordBytes / toJournaled / 1e6, recordBytes);
            pipeline.close();
            snapshotCost(durable.engine(), target / toJournaled);
        }
        finally
        {
            load.stop.set(true);
            loadThread.join();
            if (standby != null)
            {
                standby.close();
            }
            pipeline.close();
            link.close();
            durable.close();
        }
    }

    /**
     * A sale, then purchases by distinct shoppers, appended on this thread: journal records only,
     * the engine is built by the recovery that follows, as a restarted primary's would be.
     */
    private static void fill(final JournalPort journal, final long records) throws Exception
    {
        final CommandEvent command = new CommandEvent();
        final long now = System.currentTimeMillis();
        command.clear();
        command.type = CommandType.CREATE_SALE;
        command.timestamp = now;
        command.ringSequence = 0;
        command.stock = 4 * records;
        command.startsAt = now - 1;
        command.endsAt = now + TimeUnit.DAYS.toMillis(1);
        command.perUserLimit = 10;
        command.paymentWindowMillis = TimeUnit.DAYS.toMillis(1);
        command.setText("catch-up bench");
        journal.append(command);
        final byte[] subject = new byte[CommandEvent.MAX_TEXT_BYTES];
        final byte[] prefix = "shopper-".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, subject, 0, prefix.length);
        for (long i = 1; i < records; i++)
        {
            command.clear();
            command.type = CommandType.PURCHASE;
            command.timestamp = now;
            command.ringSequence = i;
            command.saleId = SALE;
            command.userId = i;
            command.qty = 1;
            command.setText(subject, 0, prefix.length + digits(i, subject, prefix.length));
            journal.append(command);
            if ((i & 0xffff) == 0)
            {
                journal.endOfBatch();
            }
        }
        journal.endOfBatch();
    }

    /** Writes {@code value}'s decimal digits at {@code at}; returns how many. */
    private static int digits(final long value, final byte[] into, final int at)
    {
        final String text = Long.toString(value);
        for (int i = 0; i < text.length(); i++)
        {
            into[at + i] = (byte)text.charAt(i);
        }
        return text.length();
    }

    /** The two journals hold the same records through {@code last} (the primary's ticker may have journaled more since): same sequence, timestamp and bytes. */
    private static JournalDiff.Result compare(final DurableEngine primary, final Path standbyDirectory, final long last) throws IOException
    {
        final long start = System.nanoTime();
        try (SingleChronicleQueue standby = JournalQueues.openForReading(new JournalConfig(standbyDirectory).queueDirectory()))
        {
            final JournalDiff.Result diff = JournalDiff.compare(primary.newReader(), new JournalReader(standby), last);
            if (!diff.identical())
            {
                throw new IllegalStateException("the journals differ: " + diff);
            }
            System.out.printf("  both journals hold the same %,d records, byte for byte (compared in %.1f s)%n",
                diff.records(), (System.nanoTime() - start) / 1e9);
            return diff;
        }
    }

    /**
     * What a snapshot transfer could save: the primary's engine (its ring closed) written as a
     * snapshot and read back into a new engine, the work a standby would do instead of applying
     * the journal's records (it must journal every record either way).
     */
    private static void snapshotCost(final SaleEngine engine, final double catchUpRate) throws IOException
    {
        final long writeStart = System.nanoTime();
        final ByteArrayDataOutput out = new ByteArrayDataOutput(64 << 20);
        EngineSnapshot.write(engine, out);
        final double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
        final long readStart = System.nanoTime();
        final SaleEngine loaded = EngineSnapshot.read(new DataInputStream(new ByteArrayInputStream(out.array(), 0, out.length())), new SaleViews());
        final double readSeconds = (System.nanoTime() - readStart) / 1e9;
        if (loaded.appliedCount() != engine.appliedCount())
        {
            throw new IllegalStateException("the snapshot read back holds " + loaded.appliedCount() + " commands, not " + engine.appliedCount());
        }
        final double records = engine.appliedCount();
        System.out.printf("  a snapshot of the primary's engine (%,.0f commands, %,d orders): %,.0f MB, written in %.1f s, read back in %.1f s" +
                " (= %,.0f records/s of state, against %,.0f records/s journaled and applied by the catch-up)%n",
            records, engine.orders().count(), out.length() / 1e6, writeSeconds, readSeconds, records / readSeconds, catchUpRate);
    }

    /**
     * Purchases on the primary at a fixed rate (open loop, at most {@link #IN_FLIGHT} waiting for
     * their answers; a purchase due while that many wait is counted as not sent); counts the answered ones.
     */
    private static final class Load implements Runnable
    {
        static final int IN_FLIGHT = 4096;
        final CommandPipeline pipeline;
        final int rate;
        final AtomicLong answered = new AtomicLong();
        final AtomicLong notSent = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();

        Load(final CommandPipeline pipeline, final int rate)
        {
            this.pipeline = pipeline;
            this.rate = rate;
        }

        @Override
        public void run()
        {
            if (rate == 0)
            {
                return;
            }
            final Semaphore slots = new Semaphore(IN_FLIGHT);
            final ReplyListener listener = event -> {
                answered.incrementAndGet();
                slots.release();
            };
            final long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long user = 1L << 40;
            long due = System.nanoTime();
            while (!stop.get())
            {
                final long now = System.nanoTime();
                if (now < due)
                {
                    LockSupport.parkNanos(Math.min(due - now, TimeUnit.MILLISECONDS.toNanos(1)));
                    continue;
                }
                due += interval;
                if (!slots.tryAcquire())
                {
                    notSent.incrementAndGet();
                    continue;
                }
                if (pipeline.purchase(SALE, user++, null, 1, 0, listener, null) != Outcome.PENDING)
                {
                    slots.release();
                    notSent.incrementAndGet();
                }
            }
            slots.acquireUninterruptibly(IN_FLIGHT);
        }
    }

    private static long folderBytes(final Path folder) throws IOException
    {
        try (Stream<Path> paths = Files.walk(folder))
        {
            return paths.filter(p -> p.toString().endsWith(".cq4")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
