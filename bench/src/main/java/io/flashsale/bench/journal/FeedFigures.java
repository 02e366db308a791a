package io.flashsale.bench.journal;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.feed.FeedException;
import io.flashsale.journal.feed.OrderFeed;
import org.HdrHistogram.Histogram;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The order feed's figures, against a real PostgreSQL:
 * <ol>
 *   <li>the engine's own purchase rate: N purchases through the ring and the journal (the server's
 *       durable engine, without HTTP), as fast as the ring takes them, each naming its shopper;</li>
 *   <li>the feed rebuilding a database from that journal (an empty schema): time, journal records
 *       per second and order events per second, next to the engine's rate of step 1;</li>
 *   <li>lag while following: purchases paced at R per second for D seconds while the feed follows
 *       in the same process; lag is per record, from its timestamp (stamped when the command was
 *       published, just before the journal append) to the commit of the row.</li>
 * </ol>
 *
 * <pre>
 *   java $FLAGS -cp bench/target/classes:bench/target/lib/* io.flashsale.bench.journal.FeedFigures JDBC_URL [purchases] [rate] [seconds] [batch]
 * </pre>
 * (scripts/bench-feed starts a throw-away PostgreSQL and runs this.)
 */
public final class FeedFigures
{
    private FeedFigures()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String jdbcUrl = args[0];
        final int purchases = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        final int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        final int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        final int batch = args.length > 4 ? Integer.parseInt(args[4]) : new OrderFeed.Options().maxBatch;
        final Path root = Files.createTempDirectory("flashsale-feed-bench");
        final String schema = "bench_" + ProcessHandle.current().pid();

        final Path full = root.resolve("full-speed");
        final double engineRate = writePurchases(full, purchases, 0, null);
        System.out.printf("engine: %,d purchases through ring + journal in the same run: %,.0f purchases/s%n", purchases, engineRate);

        final OrderFeed.Options rebuild = options(full, jdbcUrl, schema + "_rebuild", batch);
        rebuild.fromStart = true;
        final long start = System.nanoTime();
        final long records;
        final long events;
        final String status;
        try (OrderFeed feed = OrderFeed.open(rebuild))
        {
            feed.run();
            records = feed.recordsDelivered();
            events = feed.eventsDelivered();
            status = feed.statusLine();
        }
        final double rebuildSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("feed rebuild: %,d journal records (%,d order events) into PostgreSQL in %.1f s (start-up, schema and replay included): " +
                "%,.0f records/s, %,.0f order events/s = %.2f x the engine's purchase rate%n",
            records, events, rebuildSeconds, records / rebuildSeconds, events / rebuildSeconds, events / rebuildSeconds / engineRate);
        System.out.println("feed rebuild, its own status line (batch " + batch + "): " + status);

        final Path paced = root.resolve("paced");
        Files.createDirectories(paced);
        final OrderFeed.Options follow = options(paced, jdbcUrl, schema + "_follow", batch);
        follow.follow = true;
        final double pacedRate = writePurchases(paced, rate * seconds, rate, follow);
        System.out.printf("lag while following %,d purchases/s for %d s (achieved %,.0f/s), journal append to row committed, per record: " +
            "p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms%n", rate, seconds, pacedRate, lastLag.getValueAtPercentile(50),
            lastLag.getValueAtPercentile(99), lastLag.getValueAtPercentile(99.9), lastLag.getMaxValue());
        System.out.println("journals kept in " + root + "; schemas " + schema + "_rebuild and " + schema + "_follow");
    }

    /** The lag histogram of the last following feed. */
    private static Histogram lastLag;

    private static OrderFeed.Options options(final Path journal, final String jdbcUrl, final String schema, final int batch)
    {
        final OrderFeed.Options options = new OrderFeed.Options();
        options.journal = journal;
        options.jdbcUrl = jdbcUrl;
        options.schema = schema;
        options.maxBatch = batch;
        options.statusEveryMillis = 0;
        options.progress = false;
        options.log = new PrintStream(OutputStream.nullOutputStream());
        return options;
    }

    /**
     * Publishes {@code count} purchases into a durable engine in {@code dir}: as fast as the ring
     * takes them ({@code rate} 0) or paced; with {@code follow}, a feed follows the journal meanwhile.
     *
     * @return purchases replied per second
     */
    private static double writePurchases(final Path dir, final int count, final int rate, final OrderFeed.Options follow) throws Exception
    {
        final AtomicLong replies = new AtomicLong();
        final ReplyListener counter = event -> replies.incrementAndGet();
        final long now = System.currentTimeMillis();
        try (DurableEngine durable = DurableEngine.open(new JournalConfig(dir).snapshotEveryCommands(0).snapshotEverySeconds(0));
             CommandPipeline pipeline = CommandPipeline.start(durable.engine(), new PipelineConfig()
                 .journal(durable.journalPort()).snapshots(durable.snapshotPort())))
        {
            while (pipeline.createSale("bench", Math.max(1, count), now - 1_000, now + 3_600_000, 1, 3_600_000, counter, null) == Outcome.BUSY)
            {
                Thread.onSpinWait();
            }
            while (replies.get() < 1)
            {
                Thread.onSpinWait();
            }
            OrderFeed feed = null;
            Thread runner = null;
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            if (follow != null)
            {
                feed = OrderFeed.open(follow);
                final OrderFeed started = feed;
                runner = new Thread(() ->
                {
                    try
                    {
                        started.run();
                    }
                    catch (final FeedException | RuntimeException ex)
                    {
                        failure.set(ex);
                    }
                }, "feed");
                runner.start();
            }
            final long start = System.nanoTime();
            final long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
            final StringBuilder subject = new StringBuilder(40);
            for (int i = 0; i < count; i++)
            {
                if (interval > 0)
                {
                    final long due = start + i * interval;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0)
                    {
                        LockSupport.parkNanos(Math.min(wait, 200_000));
                    }
                }
                subject.setLength(0);
                subject.append("customer-").append(i + 1).append("@shop.example");
                while (pipeline.purchase(1, i + 1, subject, 1, 0, counter, null) == Outcome.BUSY)
                {
                    Thread.onSpinWait();
                }
            }
            while (replies.get() < count + 1)
            {
                LockSupport.parkNanos(50_000);
            }
            final double perSecond = count / ((System.nanoTime() - start) / 1e9);
            if (feed != null)
            {
                final long end = durable.journalSequence();
                while (feed.cursor() < end && failure.get() == null)
                {
                    LockSupport.parkNanos(1_000_000);
                }
                feed.stop();
                runner.join();
                lastLag = feed.lagMillis().copy();
                feed.close();
                if (failure.get() != null)
                {
                    throw new IllegalStateException("the feed failed", failure.get());
                }
            }
            return perSecond;
        }
    }
}
