package io.flashsale.bench.replication;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.replication.EpochHistory;
import io.flashsale.journal.replication.ReplicationConfig;
import io.flashsale.journal.replication.ReplicationMode;
import io.flashsale.journal.replication.ReplicationPrimary;
import io.flashsale.journal.replication.Replicator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What a hot standby costs and how fast one catches up, in one process over UDP on loopback:
 *
 * <ul>
 *   <li>purchase throughput through the ring (journal, engine, replies; SERIAL layout, the server's
 *       default) alone, and with a sync standby (its own journal, ring and engine, in this process),
 *       rounds alternated; a closed loop keeps {@code window} purchases in flight, as that many
 *       shoppers waiting on their answers would; the ratio is of the medians;</li>
 *   <li>catch-up: a primary's journal of {@code records} purchases, a standby started empty against
 *       it, records per second until it has journaled the last one.</li>
 * </ul>
 * Both ends' media drivers, agents and rings share the machine's cores with the load generator.
 *
 * <pre>  scripts/bench-replication [SECONDS_PER_ROUND] [ROUNDS] [WINDOW] [CATCH_UP_RECORDS]</pre>
 */
public final class ReplicationFigures
{
    private static final byte[] SECRET = "bench-replication-secret".getBytes(StandardCharsets.UTF_8);
    private static final long SALE = 1;

    private ReplicationFigures()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final int window = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        final long catchUpRecords = args.length > 3 ? Long.parseLong(args[3]) : 1_000_000;
        System.out.printf("replication figures: %d s rounds, %d rounds each (after a warm-up of each), %d purchases in flight, %s cores%n",
            seconds, rounds, window, Runtime.getRuntime().availableProcessors());
        final List<Double> alone = new ArrayList<>();
        final List<Double> synced = new ArrayList<>();
        for (int round = 0; round <= rounds; round++)
        {
            final double a = throughput(false, seconds, window);
            final double b = throughput(true, seconds, window);
            if (round == 0)
            {
                System.out.printf("  warm-up: alone %,.0f/s, sync standby %,.0f/s%n", a, b);
                continue;
            }
            alone.add(a);
            synced.add(b);
            System.out.printf("  round %d: alone %,.0f purchases/s, with a sync standby %,.0f purchases/s (%.2f)%n", round, a, b, b / a);
        }
        System.out.printf("purchase throughput, sync standby / alone (medians): %.2f (%,.0f / %,.0f)%n",
            median(synced) / median(alone), median(synced), median(alone));
        catchUp(catchUpRecords);
    }

    /** Purchases answered per second over one round, with or without a sync standby. */
    private static double throughput(final boolean withStandby, final int seconds, final int window) throws Exception
    {
        final Path root = Files.createTempDirectory("bench-replication");
        try
        {
            try (Primary primary = new Primary(root.resolve("primary"), withStandby))
            {
                InProcessStandby standby = null;
                try
                {
                    if (withStandby)
                    {
                        standby = new InProcessStandby(root.resolve("standby"), primary.link.endpoint(), SECRET, 5_000);
                        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (!primary.replicator.inSync())
                        {
                            if (System.nanoTime() > deadline)
                            {
                                throw new IllegalStateException("the standby did not get in sync within 60 s");
                            }
                            Thread.sleep(10);
                        }
                    }
                    return closedLoop(primary.pipeline, seconds, window);
                }
                finally
                {
                    if (standby != null)
                    {
                        standby.close();
                    }
                }
            }
        }
        finally
        {
            delete(root);
        }
    }

    /** Keeps {@code window} purchases in flight for the round; counts the answered ones. */
    private static double closedLoop(final CommandPipeline pipeline, final int seconds, final int window)
    {
        final Semaphore slots = new Semaphore(window);
        final AtomicLong answered = new AtomicLong();
        final ReplyListener listener = event -> {
            if (event.outcome != Outcome.RESERVED)
            {
                throw new IllegalStateException("a purchase was answered " + event.outcome);
            }
            answered.incrementAndGet();
            slots.release();
        };
        final long start = System.nanoTime();
        final long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long user = 1;
        while (System.nanoTime() < end)
        {
            slots.acquireUninterruptibly();
            final Outcome accepted = pipeline.purchase(SALE, user, null, 1, 0, listener, null);
            if (accepted != Outcome.PENDING)
            {
                slots.release();
                Thread.onSpinWait();
                continue;
            }
            user++;
        }
        final long count = answered.get();
        final double elapsed = (System.nanoTime() - start) / 1e9;
        slots.acquireUninterruptibly(window);
        return count / elapsed;
    }

    private static void catchUp(final long records) throws Exception
    {
        final Path root = Files.createTempDirectory("bench-replication-catch-up");
        try (Primary primary = new Primary(root.resolve("primary"), true))
        {
            final long fillStart = System.nanoTime();
            closedLoopCount(primary.pipeline, records - 1, 4096);
            System.out.printf("catch-up: a journal of %,d records written in %.1f s; an empty standby starts%n",
                primary.replicator.lastSequence(), (System.nanoTime() - fillStart) / 1e9);
            final long target = primary.replicator.lastSequence();
            final long start = System.nanoTime();
            try (InProcessStandby standby = new InProcessStandby(root.resolve("standby"), primary.link.endpoint(), SECRET, 5_000))
            {
                while (standby.link.journaledSequence() < target)
                {
                    Thread.sleep(1);
                }
                final double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf("catch-up rate: %,d records in %.2f s = %,.0f records/s (from the standby's start, its recovery and join included)%n",
                    target, elapsed, target / elapsed);
            }
        }
        finally
        {
            delete(root);
        }
    }

    private static void closedLoopCount(final CommandPipeline pipeline, final long purchases, final int window)
    {
        final Semaphore slots = new Semaphore(window);
        final ReplyListener listener = event -> slots.release();
        for (long user = 1; user <= purchases; )
        {
            slots.acquireUninterruptibly();
            if (pipeline.purchase(SALE, user, null, 1, 0, listener, null) == Outcome.PENDING)
            {
                user++;
            }
            else
            {
                slots.release();
            }
        }
        slots.acquireUninterruptibly(window);
    }

    /** A durable engine, its ring, and (with a standby in mind) the replication end. */
    private static final class Primary implements AutoCloseable
    {
        final DurableEngine durable;
        final CommandPipeline pipeline;
        final Replicator replicator;
        final ReplicationPrimary link;

        Primary(final Path directory, final boolean replicated) throws Exception
        {
            durable = DurableEngine.open(new JournalConfig(directory).snapshotEveryCommands(0).snapshotEverySeconds(0));
            final PipelineConfig config = new PipelineConfig().journal(durable.journalPort()).snapshots(durable.snapshotPort());
            if (replicated)
            {
                replicator = new Replicator(ReplicationMode.SYNC, durable.journalSequence(), durable::newReader);
                config.replication(replicator);
            }
            else
            {
                replicator = null;
            }
            pipeline = CommandPipeline.start(durable.engine(), config);
            link = replicated ? ReplicationPrimary.launch(new ReplicationConfig().primary(new LinkEndpoint("127.0.0.1", 0)).secret(SECRET)
                .mode(ReplicationMode.SYNC).peerTimeoutMillis(5_000), replicator, durable::newReader, EpochHistory.load(directory)) : null;
            final CompletableFuture<Outcome> created = new CompletableFuture<>();
            final long now = System.currentTimeMillis();
            pipeline.createSale("bench", 1_000_000_000L, now - 1, now + 3_600_000, 10, 3_600_000,
                event -> created.complete(event.outcome), null);
            final Outcome outcome = created.get(30, TimeUnit.SECONDS);
            if (outcome != Outcome.SALE_CREATED)
            {
                throw new IllegalStateException("the bench's sale was not created: " + outcome);
            }
        }

        @Override
        public void close()
        {
            pipeline.close();
            if (link != null)
            {
                link.close();
            }
            durable.close();
        }
    }

    private static double median(final List<Double> values)
    {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void delete(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
