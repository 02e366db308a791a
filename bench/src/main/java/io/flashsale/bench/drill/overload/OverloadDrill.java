package io.flashsale.bench.drill.overload;

import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.drill.MemorySampler;
import io.flashsale.bench.drill.ShopperKeys;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.bench.system.CpuAffinity;
import io.flashsale.bench.system.JournalCheck;
import io.flashsale.bench.system.Secrets;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.http.config.ServerConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code flashsale drill overload}: measures what the real server (a child JVM) completes in
 * purchases per second, then offers several times that, open loop, for a minute to a contested
 * flash sale, and checks: the server stays up; every request gets a real outcome (2xx, 409, 410,
 * 425, 429, 503), none times out, none is a 500; answers stay quick and admitted purchases keep a
 * bounded p99; heap and resident memory stay flat (sampled every second); and once the load stops
 * the server is ready and sells again at once.
 *
 * <p>Main thread; the load runs on the generator's event loops.
 */
public final class OverloadDrill
{
    private static final int PROBES = 20;

    private final OverloadSettings settings;
    private final PrintStream out;
    private final byte[] secret = Secrets.random();

    public OverloadDrill(final OverloadSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
    }

    public OverloadReport run() throws Exception
    {
        Files.createDirectories(settings.folder());
        final ServerConfig config = new ServerConfig();
        config.server.ioThreads = settings.ioThreads();
        config.journal.directory = settings.folder().resolve("data").toAbsolutePath().toString();
        // Every shopper comes from 127.0.0.1 here: the per-IP bucket would only measure itself. Shopper buckets stay.
        config.limits.ip = new ServerConfig.Bucket(1_000_000_000L, 1e9);
        CpuAffinity.pinThisProcess(settings.generatorCpus());
        final ServerProcess server = ServerProcess.launch(config, secret, settings.jvmOptions(), false, settings.folder(), "server",
            settings.serverCpus());
        try
        {
            final ServerProcess.Start start = server.awaitReady(Duration.ofSeconds(120));
            if (!start.ready())
            {
                throw new IllegalStateException("the server did not start (exit " + start.exitCode() + "): " + start.logTail());
            }
            final AdminClient admin = new AdminClient("127.0.0.1", server.port(), secret);
            final Crowd crowd = Crowd.mint(secret, "overload", settings.shoppers(), Duration.ofHours(4));
            final Instant now = Instant.now();
            final long plentiful = admin.createSale(new AdminClient.SaleTerms("overload capacity", 1_000_000_000L,
                now.minusSeconds(1), now.plus(Duration.ofDays(1)), 1_000_000, 3600));
            final String[] plentifulKeys = ShopperKeys.of(secret, crowd, plentiful);

            // Capacity: purchases the whole way through (auth, gate, body, ring, journal, engine, reply), closed loop.
            if (settings.warmupSeconds() > 0)
            {
                closedLoop(server, crowd, plentifulKeys, plentiful, settings.warmupSeconds());
            }
            final OverloadTally measured = closedLoop(server, crowd, plentifulKeys, plentiful, settings.measureSeconds());
            final double capacity = measured.reserved / (double)settings.measureSeconds();
            if (capacity < 1)
            {
                throw new IllegalStateException("the server completed no purchases while capacity was measured");
            }
            final double rate = capacity * settings.multiple();
            final DrillHttp http = new DrillHttp(server.base());
            final double[] before = probe(http, crowd, plentifulKeys, plentiful, "before");
            out.printf("overload: capacity %,.0f purchases/s (closed loop, %d connections); offering %,.0f req/s for %d s%n",
                capacity, Math.min(64, settings.connections()), rate, settings.seconds());

            // The contested sale: little stock for the crowd (a flash sale), and units that keep coming back.
            // Admission sheds by units left, not by capacity: a sale with more units left than the crowd
            // asks for in an interval admits everyone (see the README's Reliability section).
            final long stock = settings.stock() > 0 ? settings.stock() : Math.max(100, Math.round(capacity / 10));
            if (settings.warmupSeconds() > 0)
            {
                // The refusals' path is warmed too (server and generator JIT): cold, it answers a fraction
                // of its steady rate for the first seconds, and that is a cold start, not an overload.
                final long rehearsal = flashSale(admin, stock, "overload rehearsal");
                closedLoop(server, crowd, ShopperKeys.of(secret, crowd, rehearsal), rehearsal, settings.warmupSeconds());
            }
            final long flash = flashSale(admin, stock, "overload flash sale");
            final String[] flashKeys = ShopperKeys.of(secret, crowd, flash);

            final MemorySampler memory = new MemorySampler(server.pid(), server.gcLog());
            final OverloadTally[] tallies = new OverloadTally[settings.threads()];
            final LoadSettings load = new LoadSettings("127.0.0.1", server.port(), settings.connections(), settings.threads(), Pacing.RATE,
                rate, Long.MAX_VALUE, Duration.ofSeconds(settings.seconds()), Duration.ofSeconds(5), Duration.ofSeconds(10));
            final long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            final long startWall = System.currentTimeMillis() + 200;
            memory.start(1_000);
            final LoadStats stats = LoadGenerator.run(load, loop ->
            {
                tallies[loop] = new OverloadTally();
                return new OverloadWorkload(crowd, flashKeys, flash, true, settings.pay(), settings.cancel(), startNanos, tallies[loop],
                    settings.seed() * 31 + loop);
            }, startNanos);
            final long loadEnd = System.nanoTime();
            final List<MemorySampler.Sample> samples = memory.stop();
            final OverloadTally tally = new OverloadTally();
            Arrays.stream(tallies).forEach(tally::add);

            // At once after the load: ready, and selling.
            final long readyMillis = untilReady(http, loadEnd);
            final double[] after = probe(http, crowd, plentifulKeys, plentiful, "after");
            final Books books = admin.books(flash);
            final boolean alive = server.isAlive();

            final OverloadReport report = OverloadReport.of(settings, capacity, rate, stock, stats, tally, samples, startWall,
                readyMillis, before, after, books, alive);
            server.close();
            final JournalCheck.Verdict verdict = JournalCheck.verify(settings.folder().resolve("data").toAbsolutePath(),
                settings.folder().resolve("journal-verify.log"));
            report.checks().add(verdict.check() != null
                ? Check.of("journal verify after a clean stop", verdict.check().passed(), verdict.check().detail())
                : Check.notJudged("journal verify after a clean stop", verdict.notRun()));
            DrillReports.write(settings.folder().resolve("report.json"), report);
            return report;
        }
        finally
        {
            server.close();
        }
    }

    private long flashSale(final AdminClient admin, final long stock, final String name) throws Exception
    {
        final Instant now = Instant.now();
        return admin.createSale(new AdminClient.SaleTerms(name, stock, now.minusSeconds(1), now.plus(Duration.ofDays(1)), 1,
            settings.paymentWindowSeconds()));
    }

    private OverloadTally closedLoop(final ServerProcess server, final Crowd crowd, final String[] keys, final long sale, final int seconds)
        throws InterruptedException
    {
        final int connections = Math.min(64, settings.connections());
        final LoadSettings load = new LoadSettings("127.0.0.1", server.port(), connections, 1, Pacing.CLOSED, 0, Long.MAX_VALUE,
            Duration.ofSeconds(seconds), Duration.ofSeconds(2), Duration.ofSeconds(10));
        final OverloadTally tally = new OverloadTally();
        final long start = System.nanoTime();
        LoadGenerator.run(load, loop -> new OverloadWorkload(crowd, keys, sale, false, 0, 0, start, tally, settings.seed()));
        return tally;
    }

    /** Milliseconds from {@code sinceNanos} until /health/ready answers 200 (-1 if not within 30 s). */
    private static long untilReady(final DrillHttp http, final long sinceNanos) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            try
            {
                if (http.get("/health/ready", null).status() == 200)
                {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
                }
            }
            catch (final java.io.IOException notYet)
            {
                // keep asking
            }
            Thread.sleep(10);
        }
        return -1;
    }

    /** Sequential purchases: {first ms, median ms, reserved}. */
    private static double[] probe(final DrillHttp http, final Crowd crowd, final String[] keys, final long sale, final String tag)
        throws Exception
    {
        final double[] millis = new double[PROBES];
        int reserved = 0;
        for (int i = 0; i < PROBES; i++)
        {
            final int shopper = i % crowd.size();
            final long begin = System.nanoTime();
            final DrillHttp.Reply reply = http.send("POST", "/api/sales/" + sale + "/purchase", crowd.authorization(shopper),
                "{\"qty\":1,\"key\":\"" + keys[shopper] + "\"}", "Idempotency-Key", "probe-" + tag + "-" + i);
            millis[i] = (System.nanoTime() - begin) / 1e6;
            if (reply.status() == 201)
            {
                reserved++;
            }
        }
        final double first = millis[0];
        Arrays.sort(millis);
        return new double[] {first, millis[PROBES / 2], reserved};
    }
}
