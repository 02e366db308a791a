package io.flashsale.bench.drill.crash;

import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.bench.system.EdgeDeployment;
import io.flashsale.bench.system.JournalCheck;
import io.flashsale.bench.system.Secrets;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.http.config.ServerConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code flashsale drill crash}: the real server in a child JVM under a rush-like HTTP load, killed
 * with SIGKILL at a random moment, restarted on the same journal. After every restart the drill
 * checks against its client's own ledger of acknowledged responses that every order it was told
 * RESERVED, PAID or CANCELLED is there in that state, that no sale is oversold and the books hold
 * no order nobody could have been told of, that an acknowledged Idempotency-Key still answers its
 * order, that {@code flashsale journal verify} passes, and that the server sells again.
 *
 * <p>With {@code --edges N} the drill runs the edge deployment ({@link EdgeDeployment}: a core, N
 * edges, nginx in front), sends the load through nginx and kills the core. While the core is down
 * it sends purchases straight to each edge and times their 503s ({@link EdgeOutageProbe}); after
 * the restart it times how long the edges (never restarted) take to be ready again, and the
 * shoppers' checks (their orders, their keys, a new purchase) go through nginx and the edges.
 *
 * <p>A kill inside a journal write leaves a torn tail: recovery cuts it by itself (the write never
 * finished, so it was never acknowledged) and the drill reports its log line. Should the server
 * still refuse to start (exit 3), the drill starts it with {@code --truncate-torn-tail}, as an
 * operator would, and says so.
 *
 * <p>Main thread; the load runs on the generator's event loops.
 */
public final class CrashDrill
{
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final int IDEMPOTENCY_SAMPLE = 20;
    /** How long past its drawn moment the kill waits for the cycle's first acknowledged reservation. */
    private static final long STAKE_WAIT_MILLIS = 60_000;
    /** With edges: arrivals go on this long past the drawn kill moment (the first reservation must come within it). */
    private static final long EDGE_LOAD_PAST_KILL_MILLIS = 4_000;

    private final CrashSettings settings;
    private final PrintStream out;
    private final Random random;
    private final byte[] secret = Secrets.random();
    private int launches;
    /** The edge deployment with {@code --edges}, else null. */
    private EdgeDeployment deployment;

    public CrashDrill(final CrashSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
        this.random = new Random(settings.seed());
    }

    public CrashReport run() throws Exception
    {
        final Path folder = settings.folder();
        Files.createDirectories(folder);
        final Ledger ledger = new Ledger(folder.resolve("acks.jsonl"));
        final Crowd crowd = Crowd.mint(secret, "crash", settings.shoppers(), Duration.ofDays(1));
        final List<CrashReport.Cycle> cycles = new ArrayList<>();
        out.printf("crash drill: %d cycle(s), sync %s, journal %s%n", settings.cycles(), settings.syncLabel(), journal());
        ServerProcess server = launchReady(settings.sync(1), false).server;
        try
        {
            final DrillSales sales = DrillSales.create(new AdminClient("127.0.0.1", server.port(), secret), crowd, secret, settings.limitedStock());
            if (deployment != null)
            {
                deployment.awaitSaleOnEdges(sales.id(DrillSales.LIMITED), -1);
                deployment.awaitSaleOnEdges(sales.id(DrillSales.OPEN), -1);
            }
            for (int cycle = 1; cycle <= settings.cycles(); cycle++)
            {
                final String killedSync = settings.sync(cycle);
                final long killAfter = settings.minKillMillis()
                    + (long)(random.nextDouble() * (settings.loadMillis() - settings.minKillMillis()));
                final Killed killed = loadAndKill(server, crowd, sales, ledger, cycle, killAfter);
                final Launch restart = launchReady(settings.sync(Math.min(cycle + 1, settings.cycles())), true);
                server = restart.server;
                final CrashReport.EdgeOutage outage = killed.probe() == null ? null : outage(killed.probe(), sales, ledger, cycle);
                final CrashReport.Cycle report = check(cycle, killedSync, killed, restart, crowd, sales, ledger, outage);
                cycles.add(report);
                out.println(report.line());
                report.failures().forEach(f -> out.println("    FAIL " + f));
            }
        }
        finally
        {
            if (deployment != null)
            {
                deployment.close();
            }
            else
            {
                server.close();
            }
        }
        final CrashReport report = new CrashReport(settings.describe(), journal().toString(), cycles, ledger.size(),
            ledger.duplicatesConfirmed(), ledger.idempotencyViolations());
        report.write(folder.resolve("report.json"));
        return report;
    }

    private Path journal()
    {
        return settings.folder().resolve("data").toAbsolutePath();
    }

    /** A started server, and whether a torn tail had to be cut for it to start. */
    private record Launch(ServerProcess server, ServerProcess.Start start, String tornTail)
    {
    }

    private Launch launchReady(final String sync, final boolean afterKill) throws Exception
    {
        if (settings.edges() > 0)
        {
            return launchDeployment(sync, afterKill);
        }
        final long began = System.nanoTime();
        ServerProcess server = launch(sync, false);
        ServerProcess.Start start = server.awaitReady(READY_TIMEOUT);
        String tornTail = null;
        if (!start.ready())
        {
            server.close();
            if (!afterKill || start.exitCode() != ServerProcess.EXIT_CANNOT_RECOVER)
            {
                throw new IllegalStateException("the server did not start (exit " + start.exitCode() + "); its log ends:\n" + start.logTail());
            }
            // The kill tore a journal write: the server refused to guess. Cut the tail, as an operator would.
            tornTail = lastLine(start.logTail());
            server = launch(sync, true);
            start = server.awaitReady(READY_TIMEOUT);
            if (!start.ready())
            {
                server.close();
                throw new IllegalStateException("the server did not start even with --truncate-torn-tail (exit " + start.exitCode()
                    + "); its log ends:\n" + start.logTail());
            }
        }
        if (tornTail == null && afterKill)
        {
            tornTail = server.tornTailCutLine();
        }
        return new Launch(server, new ServerProcess.Start(true, 0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), ""), tornTail);
    }

    /** The first launch starts the whole deployment; a restart starts its core again (same journal, link and ports). */
    private Launch launchDeployment(final String sync, final boolean afterKill) throws Exception
    {
        final long began = System.nanoTime();
        if (deployment == null)
        {
            final ServerConfig edge = new ServerConfig();
            edge.server.ioThreads = settings.ioThreads();
            edge.limits.enabled = false;
            deployment = EdgeDeployment.start(new EdgeDeployment.Options(settings.edges(), true, settings.jvmOptions(), settings.jvmOptions()),
                config(sync), edge, secret, settings.folder());
            return new Launch(deployment.core(), new ServerProcess.Start(true, 0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), ""), null);
        }
        deployment.coreConfig().journal.sync = sync;
        String tornTail = null;
        try
        {
            deployment.startCore(false);
        }
        catch (final EdgeDeployment.CoreDidNotStart ex)
        {
            if (!afterKill || ex.start().exitCode() != ServerProcess.EXIT_CANNOT_RECOVER)
            {
                throw ex;
            }
            tornTail = lastLine(ex.start().logTail());
            deployment.startCore(true);
        }
        return new Launch(deployment.core(), new ServerProcess.Start(true, 0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), ""), tornTail);
    }

    private ServerProcess launch(final String sync, final boolean truncate) throws Exception
    {
        launches++;
        return ServerProcess.launch(config(sync), secret, settings.jvmOptions(), truncate, settings.folder(),
            String.format("server-%02d-%s", launches, sync.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The killed server's (or core's) configuration. */
    private ServerConfig config(final String sync)
    {
        final ServerConfig config = new ServerConfig();
        config.server.ioThreads = settings.ioThreads();
        config.journal.directory = journal().toString();
        config.journal.sync = sync;
        config.journal.snapshotEveryCommands = settings.snapshotEvery();
        config.journal.snapshotEverySeconds = 5;
        // The whole crowd comes from 127.0.0.1: a per-IP bucket would only measure itself.
        config.limits.enabled = false;
        return config;
    }

    /** Where shoppers go: nginx in front of the edges, or the server itself. */
    private int frontPort(final ServerProcess server)
    {
        return deployment != null ? deployment.frontPort() : server.port();
    }

    /**
     * One cycle's load: what the generator saw, when the kill came, whether any reservation was
     * acknowledged before it, and (with edges) the probe that timed the edges while the core was down.
     */
    private record Killed(LoadStats stats, long afterMillis, boolean staked, EdgeOutageProbe probe)
    {
    }

    /**
     * Loads the server and kills it {@code killAfterMillis} into the load, or later, at the
     * cycle's first acknowledged reservation, when none came by then (a cold server on a busy
     * machine): a kill with nothing acknowledged would test nothing.
     */
    private Killed loadAndKill(final ServerProcess server, final Crowd crowd, final DrillSales sales, final Ledger ledger,
        final int cycle, final long killAfterMillis) throws Exception
    {
        final List<Ack> earlier = ledger.open();
        // Arrivals last past any kill; once the server is gone the generator stops on failed connections.
        // Edges keep answering (503) while the core is down: the load runs on for a few seconds of that.
        final long arrivalsMillis = deployment != null ? killAfterMillis + EDGE_LOAD_PAST_KILL_MILLIS : killAfterMillis + STAKE_WAIT_MILLIS + 200;
        final LoadSettings load = new LoadSettings("127.0.0.1", frontPort(server), settings.connections(), 1, Pacing.RATE,
            settings.rate(), Long.MAX_VALUE, Duration.ofMillis(arrivalsMillis), Duration.ofMillis(500), Duration.ofSeconds(3));
        final CycleLog log = new CycleLog();
        final long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        final long seed = random.nextLong();
        final CompletableFuture<LoadStats> running = new CompletableFuture<>();
        final Thread driver = new Thread(() ->
        {
            try
            {
                running.complete(LoadGenerator.run(load, loop -> new CrashWorkload(crowd, sales, earlier, cycle, log, seed), startNanos));
            }
            catch (final Throwable ex)
            {
                running.completeExceptionally(ex);
            }
        }, "crash-load");
        driver.start();
        final long killAt = startNanos + TimeUnit.MILLISECONDS.toNanos(killAfterMillis);
        while (System.nanoTime() < killAt && !running.isDone())
        {
            Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(killAt - System.nanoTime())));
        }
        final long stakeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STAKE_WAIT_MILLIS);
        boolean staked = false;
        while (!staked && !running.isDone() && System.nanoTime() < stakeDeadline)
        {
            staked = log.firstReservation.await(100, TimeUnit.MILLISECONDS);
        }
        final long killedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        server.kill9();
        final EdgeOutageProbe probe = deployment == null ? null
            : new EdgeOutageProbe(deployment.edges().stream().map(ServerProcess::base).toList(), crowd, sales, random.nextInt(crowd.size()), cycle).start();
        final LoadStats stats;
        try
        {
            stats = running.get(60, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("the load of cycle " + cycle + " failed: " + ex.getCause(), ex.getCause());
        }
        if (probe != null)
        {
            // Stopped before the core comes back: every probe met a dead core.
            probe.close();
        }
        ledger.add(log, cycle);
        return new Killed(stats, killedAfter, staked, probe);
    }

    /**
     * The probe's findings and the edges' reconnection: from the restarted core's ready to every
     * edge's ready, the edges never restarted. Probes whose answer leaves their purchase open go
     * into the ledger as unknown purchases of the open sale.
     */
    private CrashReport.EdgeOutage outage(final EdgeOutageProbe probe, final DrillSales sales, final Ledger ledger, final int cycle)
        throws Exception
    {
        if (probe.outcomeOpen() > 0)
        {
            final CycleLog open = new CycleLog();
            open.unknownPurchases.put(sales.id(DrillSales.OPEN), probe.outcomeOpen());
            ledger.add(open, cycle);
        }
        final long began = System.nanoTime();
        for (final ServerProcess edge : deployment.edges())
        {
            final DrillHttp http = new DrillHttp(edge.base());
            while (http.get("/health/ready", null).status() != 200)
            {
                if (System.nanoTime() - began > TimeUnit.SECONDS.toNanos(60))
                {
                    return probe.result(-1);
                }
                Thread.sleep(5);
            }
        }
        return probe.result(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    private CrashReport.Cycle check(final int cycle, final String killedSync, final Killed killed, final Launch restart,
        final Crowd crowd, final DrillSales sales, final Ledger ledger, final CrashReport.EdgeOutage outage) throws Exception
    {
        final ServerProcess server = restart.server;
        final LoadStats stats = killed.stats();
        final List<String> failures = new ArrayList<>();
        if (outage != null)
        {
            if (outage.reconnectMillis() < 0)
            {
                failures.add("an edge was not ready again within 60 s of the core's restart");
            }
            // Loose on purpose (a busy machine): the figure is in the report; a hang or a sale while the core is down is a failure.
            if (outage.probes() == 0 || outage.answers().keySet().stream().anyMatch(answer -> !answer.startsWith("503 "))
                || outage.maxMicros() > TimeUnit.SECONDS.toMicros(5))
            {
                failures.add("while the core was down the edges did not all answer 503 within 5 s: " + outage.line());
            }
        }
        if (!killed.staked())
        {
            failures.add(String.format("no reservation was acknowledged in %,d ms of load: the kill had nothing to lose", killed.afterMillis()));
        }
        final long[] recovered = server.recovered();
        if (recovered == null)
        {
            failures.add("the server logged no recovery line");
        }

        // Every acknowledged order, as its owner sees it now.
        final List<Ack> all = ledger.all();
        final OrderAudit audit = new OrderAudit(all, crowd);
        if (!all.isEmpty())
        {
            LoadGenerator.run(new LoadSettings("127.0.0.1", frontPort(server), Math.min(16, settings.connections()), 1, Pacing.CLOSED, 0,
                all.size(), Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofSeconds(10)), loop -> audit);
        }
        audit.lost.stream().limit(5).forEach(lost -> failures.add("acknowledged order lost: " + lost));
        if (audit.unchecked > 0 || audit.confirmed + audit.lost.size() != all.size())
        {
            failures.add(String.format("only %,d of %,d acknowledged orders could be checked", audit.confirmed + audit.lost.size(), all.size()));
        }

        // The books of both sales.
        final AdminClient admin = new AdminClient("127.0.0.1", server.port(), secret);
        final List<CrashReport.SaleBooks> books = new ArrayList<>();
        for (final int sale : new int[] {DrillSales.LIMITED, DrillSales.OPEN})
        {
            books.add(books(sales.id(sale), admin.books(sales.id(sale)), ledger, failures));
        }

        // An acknowledged Idempotency-Key still answers its order (the open sale: its gate never says sold out).
        final DrillHttp http = new DrillHttp("http://127.0.0.1:" + frontPort(server));
        final List<Ack> sample = all.stream().filter(a -> a.saleId == sales.id(DrillSales.OPEN)).limit(IDEMPOTENCY_SAMPLE).toList();
        int idempotent = 0;
        for (final Ack ack : sample)
        {
            final DrillHttp.Reply reply = http.send("POST", "/api/sales/" + ack.saleId + "/purchase", crowd.authorization(ack.shopper),
                "{\"qty\":1,\"key\":\"" + sales.key(DrillSales.OPEN, ack.shopper) + "\"}", "Idempotency-Key", ack.idempotencyKey);
            if (reply.status() == 201 && reply.json().path("orderId").asLong() == ack.orderId)
            {
                idempotent++;
            }
            else
            {
                failures.add("Idempotency-Key " + ack.idempotencyKey + " of order " + ack.orderId + " answered " + reply.status() + " " + reply.body());
            }
        }

        // Serving again: a new purchase is reserved.
        final int probeShopper = random.nextInt(crowd.size());
        final DrillHttp.Reply probe = http.send("POST", "/api/sales/" + sales.id(DrillSales.OPEN) + "/purchase",
            crowd.authorization(probeShopper), "{\"qty\":1,\"key\":\"" + sales.key(DrillSales.OPEN, probeShopper) + "\"}",
            "Idempotency-Key", "probe-" + cycle);
        final boolean serving = probe.status() == 201;
        if (serving)
        {
            final CycleLog probeLog = new CycleLog();
            probeLog.reserved.add(new Ack(probe.json().path("orderId").asLong(), sales.id(DrillSales.OPEN), probeShopper, 1,
                "probe-" + cycle, java.time.Instant.parse(probe.json().path("paymentDeadline").asText()).toEpochMilli(), cycle));
            ledger.add(probeLog, cycle);
        }
        else
        {
            failures.add("not serving again: a new purchase answered " + probe.status() + " " + probe.body());
        }

        final JournalCheck.Verdict verdict = JournalCheck.verify(journal(), settings.folder().resolve(String.format("verify-%02d.log", cycle)));
        final String verify = verdict.check() == null ? verdict.notRun() : verdict.check().detail();
        if (verdict.check() == null || !verdict.check().passed())
        {
            failures.add("journal verify: " + verify);
        }
        final long unanswered = stats.steps().values().stream().mapToLong(s -> s.errors()).sum();
        return new CrashReport.Cycle(cycle, killedSync, killed.afterMillis(), stats.completed(), io.flashsale.bench.drill.DrillReports.outcomes(stats),
            unanswered, restart.tornTail, recovered == null ? -1 : recovered[0], recovered == null ? -1 : recovered[1],
            restart.start.millisToReady(), all.size(), audit.lost.size(), books, idempotent, sample.size(), serving, verify, outage, failures);
    }

    private static CrashReport.SaleBooks books(final long saleId, final Books books, final Ledger ledger, final List<String> failures)
    {
        final long acked = ledger.units(saleId, a -> true);
        final long unknown = ledger.unknownPurchases(saleId);
        final long ackedPaid = ledger.units(saleId, a -> a.paid);
        final long ackedCancelled = ledger.units(saleId, a -> a.cancelled);
        final Check sold = books.neverOversold(acked, unknown);
        if (!sold.passed())
        {
            failures.add("sale " + saleId + ": " + sold.name() + ": " + sold.detail());
        }
        if (books.paid() < ackedPaid)
        {
            failures.add(String.format("sale %d: %,d units paid on the books, %,d payments were acknowledged", saleId, books.paid(), ackedPaid));
        }
        if (books.cancelled() < ackedCancelled)
        {
            failures.add(String.format("sale %d: %,d units cancelled on the books, %,d cancellations were acknowledged", saleId, books.cancelled(), ackedCancelled));
        }
        return new CrashReport.SaleBooks(saleId, books.stock(), books.available(), books.reserved(), books.paid(), books.cancelled(),
            books.expired(), acked, ackedPaid, ackedCancelled, unknown, books.oversold());
    }

    private static String lastLine(final String text)
    {
        final String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].trim();
    }
}
