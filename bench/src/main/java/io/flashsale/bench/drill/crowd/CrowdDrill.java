package io.flashsale.bench.drill.crowd;

import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.drill.MemorySampler;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.system.Secrets;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.http.config.ServerConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * {@code flashsale drill crowd}: a crowd of distinct shoppers, each new to the server and each
 * making a few requests, then gone. Measures the server's live heap (after a full collection)
 * before, right after, once the idle expiry has passed with no traffic at all, and once a trickle
 * of new shoppers has come by; reports the bytes per shopper, and holds them to the documented
 * budget: rate-limit state per active shopper until it expires, a bounded token cache, and per
 * buyer the order, the engine's slot and the idempotent reply for the sale's life.
 *
 * <p>Main thread; the load runs on the generator's event loops.
 */
public final class CrowdDrill
{
    private static final int WARMUP_SHOPPERS = 500;
    private static final int TRICKLE_SHOPPERS = 200;

    private final CrowdSettings settings;
    private final PrintStream out;
    private final byte[] secret = Secrets.random();

    public CrowdDrill(final CrowdSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
    }

    public CrowdReport run() throws Exception
    {
        Files.createDirectories(settings.folder());
        final ServerConfig config = new ServerConfig();
        config.server.ioThreads = settings.ioThreads();
        config.journal.directory = settings.folder().resolve("data").toAbsolutePath().toString();
        // One address for the whole crowd: its bucket would only measure itself. Shopper buckets are what is measured.
        config.limits.ip = new ServerConfig.Bucket(1_000_000_000L, 1e9);
        config.limits.idleExpirySeconds = settings.expirySeconds();
        config.auth.tokenCacheSize = settings.tokenCacheSize();
        final ServerProcess server = ServerProcess.launch(config, secret, settings.jvmOptions(), false, settings.folder(), "server");
        try
        {
            final ServerProcess.Start start = server.awaitReady(Duration.ofSeconds(120));
            if (!start.ready())
            {
                throw new IllegalStateException("the server did not start (exit " + start.exitCode() + "): " + start.logTail());
            }
            final AdminClient admin = new AdminClient("127.0.0.1", server.port(), secret);
            final Instant now = Instant.now();
            final long side = admin.createSale(new AdminClient.SaleTerms("crowd warm-up", 1_000_000, now.minusSeconds(1),
                now.plus(Duration.ofDays(1)), 1, 3600));
            final long sale = admin.createSale(new AdminClient.SaleTerms("crowd", settings.stock(), now.minusSeconds(1),
                now.plus(Duration.ofDays(1)), 1, 3600));
            final MemorySampler memory = new MemorySampler(server.pid(), server.gcLog());

            crowd(server, "warmup", side, WARMUP_SHOPPERS);
            final long before = memory.liveHeapKb();
            final long rssBefore = memory.rssKb();
            out.printf("crowd: live heap %,d KiB before; %,d shoppers coming%n", before, settings.shoppers());

            final long began = System.nanoTime();
            final Crowd crowd = crowd(server, "crowd", sale, settings.shoppers());
            final double seconds = (System.nanoTime() - began) / 1e9;
            final long peak = memory.liveHeapKb();
            final long rssPeak = memory.rssKb();
            out.printf("crowd: %,d shoppers in %.0f s; live heap %,d KiB; waiting %d s (the idle expiry) with no traffic%n",
                settings.shoppers(), seconds, peak, settings.expirySeconds() + 5);

            Thread.sleep((settings.expirySeconds() + 5) * 1000L);
            final long idle = memory.liveHeapKb();
            crowd(server, "trickle", side, TRICKLE_SHOPPERS);
            final long afterTrickle = memory.liveHeapKb();
            final long rssAfter = memory.rssKb();
            final Books books = admin.books(sale);

            final CrowdReport report = CrowdReport.of(settings, crowd.stats, crowd.tally, seconds, books,
                new long[] {before, peak, idle, afterTrickle}, new long[] {rssBefore, rssPeak, rssAfter}, WARMUP_SHOPPERS + TRICKLE_SHOPPERS);
            DrillReports.write(settings.folder().resolve("report.json"), report);
            return report;
        }
        finally
        {
            server.close();
        }
    }

    /** The stats and tally of one crowd. */
    private record Crowd(LoadStats stats, CrowdTally tally)
    {
    }

    private Crowd crowd(final ServerProcess server, final String tag, final long sale, final int shoppers) throws InterruptedException
    {
        final LoadSettings load = new LoadSettings("127.0.0.1", server.port(), settings.connections(), 1, Pacing.CLOSED, 0, shoppers,
            Duration.ofSeconds(settings.maxSeconds()), Duration.ofSeconds(10), Duration.ofSeconds(10));
        final CrowdTally[] tallies = new CrowdTally[1];
        final Instant expiresAt = Instant.now().plus(Duration.ofHours(6));
        final LoadStats stats = LoadGenerator.run(load, loop ->
        {
            tallies[loop] = new CrowdTally();
            return new CrowdWorkload(secret, tag, sale, expiresAt, tallies[loop]);
        });
        final CrowdTally tally = new CrowdTally();
        Arrays.stream(tallies).forEach(tally::add);
        return new Crowd(stats, tally);
    }
}
