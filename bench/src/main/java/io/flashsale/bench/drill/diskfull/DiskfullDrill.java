package io.flashsale.bench.drill.diskfull;

import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.system.JournalCheck;
import io.flashsale.bench.system.Secrets;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.journal.space.DiskFiller;
import io.flashsale.journal.space.TmpfsMount;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code flashsale drill diskfull}: the real server in a child JVM with its journal on a small
 * tmpfs, under purchase load, while another writer fills that file system. Checks that the server
 * refuses purchases with 503 journal-full before the disk is full and says it is not ready (why,
 * in the body), that every request is answered within the bound (no hang) and the journal never
 * fails, that reads go on, that it is ready and selling again once the filler is deleted, and,
 * after a kill -9 and a restart, that every order it acknowledged is in the recovered books and
 * {@code flashsale journal verify} passes. Where a tmpfs cannot be mounted (not root), nothing is
 * judged.
 *
 * <p>Main thread; the load runs on its own client threads.
 */
public final class DiskfullDrill
{
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** How long the server may take to notice the disk filling or emptying: its guard looks every 100 ms. */
    private static final long NOTICE_BOUND_MILLIS = 10_000;

    private final DiskfullSettings settings;
    private final PrintStream out;
    private final byte[] secret = Secrets.random();
    private int launches;

    public DiskfullDrill(final DiskfullSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
    }

    public DiskfullReport run() throws Exception
    {
        Files.createDirectories(settings.folder());
        out.println("flashsale drill diskfull: " + settings.describe());
        final TmpfsMount mount;
        try
        {
            mount = TmpfsMount.mount(settings.folder().resolve("fs"), settings.fileSystemBytes());
        }
        catch (final TmpfsMount.MountRefused refused)
        {
            final DiskfullReport report = DiskfullReport.notRun(settings.describe(), refused.getMessage() + " (the drill needs root to mount a tmpfs)");
            DrillReports.write(settings.folder().resolve("report.json"), report);
            return report;
        }
        final DiskfullReport report;
        try (mount)
        {
            report = runOn(mount.directory());
        }
        DrillReports.write(settings.folder().resolve("report.json"), report);
        return report;
    }

    private DiskfullReport runOn(final Path fileSystem) throws Exception
    {
        final Path journal = fileSystem.resolve("data");
        final Path filler = fileSystem.resolve("filler");
        final List<Check> checks = new ArrayList<>();
        final PurchaseLoad load;
        final long fillerBytes;
        final long fillToNotReady;
        final DrillHttp.Reply notReady;
        final long deleteToReady;
        final long sale;
        final String serverLog;
        try (ServerProcess server = launchReady(journal))
        {
            final DrillHttp http = new DrillHttp(server.base());
            final Instant now = Instant.now();
            sale = new AdminClient("127.0.0.1", server.port(), secret).createSale(new AdminClient.SaleTerms("diskfull drill", 100_000_000,
                now.minusSeconds(1), now.plus(Duration.ofHours(2)), 1, 3_600));
            load = new PurchaseLoad(server.base(), sale, secret, Duration.ofMillis(settings.answerBoundMillis()));
            load.start(settings.clients());
            try
            {
                Thread.sleep(settings.phaseMillis());
                load.phase(Phase.FILLING);
                fillerBytes = DiskFiller.fill(filler, settings.minFreeBytes() / 2);
                out.printf("  filler: %,d bytes; %,d bytes left free%n", fillerBytes, Files.getFileStore(fileSystem).getUsableSpace());
                final long filled = System.nanoTime();
                notReady = awaitReadiness(http, 503);
                fillToNotReady = notReady.status() == 503 ? millisSince(filled) : -1;
                load.phase(Phase.FULL);

                final DrillHttp.Reply read = http.get("/api/sales/" + sale, null);
                final String metrics = http.get("/metrics", null).body();
                checks.add(Check.of("reads go on while the disk is nearly full", read.status() == 200 && metrics.contains("flashsale_journal_full 1.0"),
                    "GET /api/sales/" + sale + " " + read.status() + "; /metrics " + (metrics.contains("flashsale_journal_full 1.0")
                        ? "flashsale_journal_full 1.0" : "without flashsale_journal_full 1.0")));
                Thread.sleep(settings.phaseMillis());

                load.phase(Phase.RECOVERING);
                Files.delete(filler);
                final long deleted = System.nanoTime();
                final DrillHttp.Reply ready = awaitReadiness(http, 200);
                deleteToReady = ready.status() == 200 ? millisSince(deleted) : -1;
                load.phase(Phase.AFTER);
                Thread.sleep(settings.phaseMillis());
            }
            finally
            {
                load.stop();
            }
            final boolean alive = server.isAlive();
            serverLog = Files.readString(server.log(), StandardCharsets.UTF_8);
            checks.add(Check.of("the journal never failed: the guard refused before the disk was full",
                alive && !serverLog.contains("RING FAILED"), alive ? (serverLog.contains("RING FAILED") ? "the ring failed: see " + server.log()
                    : "server up, no ring failure") : "the server exited"));
            server.kill9();
        }
        final Map<Phase, DiskfullReport.Answers> phases = new EnumMap<>(Phase.class);
        for (final Phase phase : Phase.values())
        {
            final PhaseTally tally = load.tally(phase);
            phases.put(phase, new DiskfullReport.Answers(tally.answers(), tally.unanswered(), tally.slowestMillis()));
        }
        judgeLoad(checks, load, notReady, fillToNotReady, deleteToReady, serverLog);

        final long restartStart = System.nanoTime();
        final long checked;
        final long lost;
        final long restartToReady;
        final String recovery;
        try (ServerProcess restarted = launchReady(journal))
        {
            restartToReady = millisSince(restartStart);
            recovery = restarted.recoveryLine();
            final List<PurchaseLoad.Ack> acknowledged = load.acknowledged();
            lost = lostOrders(restarted, acknowledged);
            checked = acknowledged.size();
            checks.add(checked == 0 ? Check.notJudged("acknowledged orders after kill -9", "no purchase was acknowledged")
                : Check.of("acknowledged orders after kill -9", lost == 0, String.format("%,d checked, %,d lost", checked, lost)));
            final Books books = new AdminClient("127.0.0.1", restarted.port(), secret).books(sale);
            long unanswered = 0;
            for (final Phase phase : Phase.values())
            {
                unanswered += load.tally(phase).unanswered();
            }
            checks.add(Check.counts("reserved in the recovered books = purchases acknowledged", checked, unanswered, books.reserved()));
        }
        final JournalCheck.Verdict verify = JournalCheck.verify(journal, settings.folder().resolve("journal-verify.log"));
        checks.add(verify.check() != null ? verify.check() : Check.notJudged("flashsale journal verify", verify.notRun()));

        return new DiskfullReport(settings.describe(), journal.toString(), phases, fillerBytes, fillToNotReady,
            notReady.status() == 503 ? notReady.json().path("detail").asText() : notReady.body(), deleteToReady, checked, lost,
            restartToReady, recovery, List.copyOf(checks));
    }

    private void judgeLoad(final List<Check> checks, final PurchaseLoad load, final DrillHttp.Reply notReady, final long fillToNotReady,
                           final long deleteToReady, final String serverLog)
    {
        final boolean saidWhy = notReady.status() == 503 && "JOURNAL_FULL".equals(notReady.json().path("outcome").asText())
            && notReady.json().path("detail").asText().contains("bytes free");
        checks.add(Check.of("not ready (503 journal-full, with the reason) before the disk is full", saidWhy,
            notReady.status() + " " + notReady.body() + (fillToNotReady >= 0 ? ", " + fillToNotReady + " ms after the filler" : "")));

        final PhaseTally full = load.tally(Phase.FULL);
        checks.add(full.answered() == 0 ? Check.notJudged("every purchase refused while not ready", "no purchase was answered in that phase")
            : Check.of("every purchase refused with 503 journal-full while not ready",
                full.count(PhaseTally.JOURNAL_FULL) == full.answered() && full.unanswered() == 0, full.answers().toString()));

        long unanswered = 0;
        long slowest = 0;
        long others = 0;
        for (final Phase phase : Phase.values())
        {
            final PhaseTally tally = load.tally(phase);
            unanswered += tally.unanswered();
            slowest = Math.max(slowest, tally.slowestMillis());
            others += tally.others();
        }
        checks.add(Check.of("no hang: every request answered within " + settings.answerBoundMillis() + " ms",
            unanswered == 0 && slowest <= settings.answerBoundMillis(), String.format("%,d unanswered; slowest %,d ms", unanswered, slowest)));
        checks.add(Check.of("only reservations and journal-full refusals (no 500, no other error)", others == 0,
            String.format("%,d other answers", others)));

        final PhaseTally after = load.tally(Phase.AFTER);
        checks.add(Check.of("ready and selling again once the room is back", deleteToReady >= 0 && after.count(PhaseTally.RESERVED) > 0
                && after.count(PhaseTally.JOURNAL_FULL) == 0,
            (deleteToReady >= 0 ? "ready " + deleteToReady + " ms after the filler was deleted; " : "never ready again; ") + after.answers()));

        final long lines = serverLog.lines().filter(line -> line.contains("JOURNAL FULL:")).count();
        checks.add(Check.of("one log line says why, one says it is over", lines == 1 && serverLog.contains("JOURNAL SPACE BACK"),
            lines + " 'JOURNAL FULL' line(s), " + (serverLog.contains("JOURNAL SPACE BACK") ? "a" : "no") + " 'JOURNAL SPACE BACK' line"));
    }

    /** Looks up every acknowledged order as its shopper: each must be there, RESERVED. */
    private long lostOrders(final ServerProcess server, final List<PurchaseLoad.Ack> acknowledged) throws Exception
    {
        final DrillHttp http = new DrillHttp(server.base());
        final TokenIssuer tokens = new TokenIssuer(secret);
        final Instant expiry = Instant.now().plus(Duration.ofHours(1));
        long lost = 0;
        for (final PurchaseLoad.Ack ack : acknowledged)
        {
            final DrillHttp.Reply order = http.get("/api/orders/" + ack.orderId(), "Bearer " + tokens.issue(ack.shopper(), Role.SHOPPER, expiry));
            if (order.status() != 200 || !"RESERVED".equals(order.json().path("state").asText()))
            {
                lost++;
                if (lost <= 5)
                {
                    out.println("  LOST order " + ack.orderId() + " of " + ack.shopper() + ": " + order.status() + " " + order.body());
                }
            }
        }
        return lost;
    }

    /** Polls readiness until it answers {@code status} or the notice bound passes; returns the last answer. */
    private static DrillHttp.Reply awaitReadiness(final DrillHttp http, final int status) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NOTICE_BOUND_MILLIS);
        DrillHttp.Reply last = http.get("/health/ready", null);
        while (last.status() != status && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
            last = http.get("/health/ready", null);
        }
        return last;
    }

    private ServerProcess launchReady(final Path journal) throws Exception
    {
        final ServerConfig config = new ServerConfig();
        config.server.ioThreads = 2;
        config.journal.directory = journal.toString();
        config.journal.minFreeBytes = settings.minFreeBytes();
        config.journal.snapshotEverySeconds = 2;
        // The whole crowd comes from 127.0.0.1: a per-IP bucket would only measure itself.
        config.limits.enabled = false;
        launches++;
        final ServerProcess server = ServerProcess.launch(config, secret, settings.jvmOptions(), false, settings.folder(), "server-" + launches);
        final ServerProcess.Start start = server.awaitReady(READY_TIMEOUT);
        if (!start.ready())
        {
            server.close();
            throw new IllegalStateException("the server did not start (exit " + start.exitCode() + "); its log ends:\n" + start.logTail());
        }
        return server;
    }

    private static long millisSince(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
