package io.flashsale.bench.drill.failover;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.drill.diskfull.Phase;
import io.flashsale.bench.drill.diskfull.PhaseTally;
import io.flashsale.bench.drill.diskfull.PurchaseLoad;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.system.JournalCheck;
import io.flashsale.bench.system.Secrets;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code flashsale drill failover}: a primary ({@code serve} with a replication link) and a hot
 * standby ({@code standby --primary}), two child JVMs over real Aeron on 127.0.0.1. Once the
 * primary says its standby is in sync, purchase load goes to the primary and it is killed with
 * SIGKILL at a moment drawn within the load window; the standby is promoted through the admin
 * route (as {@code flashsale promote} does) and bought from until it accepts. Then every order the
 * old primary acknowledged is looked for on the new one (sync: none may be missing; async: the
 * figure is reported, not judged), the old primary is restarted as the new one's standby (its
 * unacknowledged tail set aside) and must come in sync, and {@code flashsale journal verify}
 * passes on both journals.
 *
 * <p>Main thread; the load runs on its own client threads.
 */
public final class FailoverDrill
{
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);

    private final FailoverSettings settings;
    private final PrintStream out;
    private final byte[] secret = Secrets.random();
    private final TokenIssuer tokens = new TokenIssuer(secret);
    private final String admin = "Bearer " + tokens.issue("failover-drill", Role.ADMIN, Instant.now().plus(Duration.ofHours(2)));

    public FailoverDrill(final FailoverSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
    }

    public FailoverReport run() throws Exception
    {
        Files.createDirectories(settings.folder());
        out.println("flashsale drill failover: " + settings.describe());
        final Path primaryJournal = settings.folder().resolve("primary-journal");
        final Path standbyJournal = settings.folder().resolve("standby-journal");
        final String primaryLink = "127.0.0.1:" + freeUdpPort();
        final String standbyLink = "127.0.0.1:" + freeUdpPort();
        final List<Check> checks = new ArrayList<>();
        final PurchaseLoad load;
        final long killToPromoted;
        final long killToAccepted;
        final String promotion;
        final long checked;
        final long lost;
        String rejoin = "not tried";
        try (ServerProcess primary = ready(ServerProcess.launch(config(primaryJournal, primaryLink, null), secret, settings.jvmOptions(), false,
                 settings.folder(), "primary"));
             ServerProcess standby = ready(ServerProcess.launchStandby(config(standbyJournal, standbyLink, primaryLink), secret,
                 settings.jvmOptions(), settings.folder(), "standby")))
        {
            final DrillHttp primaryHttp = new DrillHttp(primary.base());
            final long inSync = awaitInSync(primaryHttp);
            out.printf("  standby in sync %,d ms after it was ready%n", inSync);
            final Instant now = Instant.now();
            final long sale = new AdminClient("127.0.0.1", primary.port(), secret).createSale(new AdminClient.SaleTerms("failover drill",
                100_000_000, now.minusSeconds(1), now.plus(Duration.ofHours(2)), 1, 3_600));

            load = new PurchaseLoad(primary.base(), sale, secret, ANSWER_BOUND);
            final long loadStarted = System.nanoTime();
            final long killAfter = new SplittableRandom(settings.seed()).nextLong(settings.loadMillis() / 5, settings.loadMillis() + 1);
            load.start(settings.clients());
            awaitFirstAck(load);
            Thread.sleep(Math.max(0, killAfter - millisSince(loadStarted)));
            final long killed = System.nanoTime();
            final long killedAtMillis = System.currentTimeMillis();
            primary.kill9();
            out.printf("  primary killed (SIGKILL) %,d ms into the load%n", TimeUnit.NANOSECONDS.toMillis(killed - loadStarted));
            // Its clients now only meet refused connections: stop them, so they do not spin. With automatic promotion the
            // clock runs from the kill: the drill buys from the standby at once, while its old clients wind down.
            final Thread stopping = new Thread(() -> {
                try
                {
                    load.stop();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }, "failover-drill-load-stop");
            stopping.start();
            if (!settings.autoPromote())
            {
                stopping.join();
            }

            final DrillHttp standbyHttp = new DrillHttp(standby.base());
            if (settings.autoPromote())
            {
                // Nobody promotes it: buy until it has promoted itself and accepts.
                killToAccepted = firstAccepted(standbyHttp, sale, killed);
                final JsonNode replication = standbyHttp.get("/health/ready", null).json().path("replication");
                final String at = replication.path("promotedAutomaticallyAt").asText("");
                killToPromoted = at.isEmpty() ? -1 : Math.max(0, Instant.parse(at).toEpochMilli() - killedAtMillis);
                promotion = at.isEmpty() ? "not promoted automatically: " + replication :
                    "automatically, epoch " + replication.path("epoch").asLong() + ": " + replication.path("promotedAutomaticallyBecause").asText();
                checks.add(Check.of("the standby promotes itself (replication.failoverAfterMillis=" + settings.failoverAfterMillis() + ")",
                    !at.isEmpty() && "primary".equals(replication.path("role").asText()), promotion));
            }
            else
            {
                final DrillHttp.Reply promoted = standbyHttp.send("POST", "/admin/replication/promote", admin, null);
                killToPromoted = promoted.status() == 200 ? millisSince(killed) : -1;
                promotion = promoted.status() + " " + promoted.body().trim();
                checks.add(Check.of("the standby is promoted by the admin route", promoted.status() == 200, promotion));
                killToAccepted = firstAccepted(standbyHttp, sale, killed);
            }
            checks.add(Check.of("the new primary accepts purchases", killToAccepted >= 0,
                killToAccepted >= 0 ? "first 201 " + killToAccepted + " ms after the kill" : "no 201 within " + PATIENCE.toSeconds() + " s"));

            stopping.join();
            final List<PurchaseLoad.Ack> acknowledged = load.acknowledged();
            final AdminClient newPrimary = new AdminClient("127.0.0.1", standby.port(), secret);
            checked = acknowledged.size();
            lost = lostOrders(newPrimary, acknowledged);
            final String figure = String.format("%,d checked, %,d lost", checked, lost);
            final Books books = newPrimary.books(sale);
            if ("sync".equals(settings.mode()))
            {
                checks.add(Check.of("every acknowledged order is on the new primary (sync)", checked > 0 && lost == 0, figure));
                // The orders acknowledged by both primaries, plus at most the purchases cut off by the kill.
                checks.add(books.neverOversold(checked + (killToAccepted >= 0 ? 1 : 0), load.tally(Phase.BEFORE).unanswered()));
            }
            else
            {
                checks.add(Check.notJudged("acknowledged orders on the new primary (async: reported, not judged)", figure));
                checks.add(Check.of("the new primary's books balance", books.balances() && books.oversold() == 0, books.toString()));
            }

            if (settings.rejoin())
            {
                rejoin = rejoin(primaryJournal, primaryLink, standbyLink, standbyHttp);
                checks.add(Check.of("the old primary rejoins as the new primary's standby", rejoin.startsWith("yes"), rejoin));
            }
        }
        checks.add(verify(standbyJournal, "new-primary"));
        if (settings.rejoin())
        {
            checks.add(verify(primaryJournal, "old-primary"));
        }
        final PhaseTally answers = load.tally(Phase.BEFORE);
        final FailoverReport report = new FailoverReport(settings.describe(), answers.answers(), answers.unanswered(), checked, lost,
            killToPromoted, killToAccepted, promotion, rejoin, List.copyOf(checks));
        DrillReports.write(settings.folder().resolve("report.json"), report);
        return report;
    }

    private ServerConfig config(final Path journal, final String link, final String primary)
    {
        final ServerConfig config = new ServerConfig();
        config.server.ioThreads = 2;
        config.journal.directory = journal.toString();
        // The whole crowd comes from 127.0.0.1: a per-IP bucket would only measure itself.
        config.limits.enabled = false;
        config.replication.link = link;
        config.replication.mode = settings.mode();
        config.replication.primary = primary;
        if (settings.autoPromote())
        {
            // Both nodes: the primary declares a silent standby lost (and stalls) no later than the standby takes over.
            config.replication.peerTimeoutMillis = (int)Math.min(1_000, settings.failoverAfterMillis());
            config.replication.failoverAfterMillis = primary != null ? settings.failoverAfterMillis() : 0;
        }
        return config;
    }

    private static ServerProcess ready(final ServerProcess server) throws InterruptedException
    {
        final ServerProcess.Start start = server.awaitReady(PATIENCE);
        if (!start.ready())
        {
            server.close();
            throw new IllegalStateException("a server did not start (exit " + start.exitCode() + "); its log ends:\n" + start.logTail());
        }
        return server;
    }

    /** Waits until the primary's readiness says its standby is in sync; returns how long that took. */
    private static long awaitInSync(final DrillHttp primary) throws Exception
    {
        final long started = System.nanoTime();
        final long deadline = started + PATIENCE.toNanos();
        while (!primary.get("/health/ready", null).json().path("replication").path("inSync").asBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the standby was not in sync within " + PATIENCE.toSeconds() + " s: "
                    + primary.get("/health/ready", null).body());
            }
            Thread.sleep(50);
        }
        return millisSince(started);
    }

    /** So that no kill falls before anything was acknowledged: nothing would be at stake. */
    private static void awaitFirstAck(final PurchaseLoad load) throws InterruptedException
    {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (load.acknowledged().isEmpty())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the primary acknowledged no purchase within " + PATIENCE.toSeconds() + " s: "
                    + load.tally(Phase.BEFORE).answers());
            }
            Thread.sleep(10);
        }
    }

    /** Buys as new shoppers until the new primary answers 201; milliseconds from the kill, or -1. */
    private long firstAccepted(final DrillHttp node, final long sale, final long killed) throws Exception
    {
        final PurchaseKeys keys = new PurchaseKeys(secret);
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        // What the node answered before its first 201, by status and problem type, with the last time each was seen.
        final java.util.Map<String, String> refusals = new java.util.TreeMap<>();
        for (int i = 0; System.nanoTime() < deadline; i++)
        {
            final String shopper = "after-failover-" + i;
            final DrillHttp.Reply answer = node.send("POST", "/api/sales/" + sale + "/purchase",
                "Bearer " + tokens.issue(shopper, Role.SHOPPER, Instant.now().plus(Duration.ofHours(1))),
                "{\"qty\":1,\"key\":\"" + keys.keyFor(sale, ShopperIds.userId(shopper)) + "\"}");
            if (answer.status() == 201)
            {
                final long millis = millisSince(killed);
                out.printf("  before the first 201 (%,d ms after the kill) the node answered: %s%n", millis, refusals.isEmpty() ? "nothing else" : refusals);
                return millis;
            }
            final String type = answer.body().replaceAll("(?s).*\"type\"\\s*:\\s*\"[^\"]*/([^\"/]+)\".*", "$1");
            refusals.merge(answer.status() + " " + (type.length() < 40 ? type : "?"), "1 (last at " + millisSince(killed) + " ms)",
                (old, now) -> (Long.parseLong(old.substring(0, old.indexOf(' '))) + 1) + now.substring(now.indexOf(' ')));
            Thread.sleep(5);
        }
        return -1;
    }

    /** Looks up every acknowledged order in the new primary's admin view: each must be there, RESERVED. */
    private long lostOrders(final AdminClient node, final List<PurchaseLoad.Ack> acknowledged) throws Exception
    {
        long lost = 0;
        for (final PurchaseLoad.Ack ack : acknowledged)
        {
            final JsonNode order = node.order(ack.orderId());
            if (order == null || !"RESERVED".equals(order.path("state").asText()))
            {
                lost++;
                if (lost <= 5)
                {
                    out.println("  LOST order " + ack.orderId() + " of " + ack.shopper() + ": " + (order == null ? "not found" : order));
                }
            }
        }
        return lost;
    }

    /**
     * Restarts the old primary as the new primary's standby. Told where it diverged (a tail it
     * journaled that was never acknowledged), it marks its journal and exits, at once or just after
     * it said it was ready; started again, it sets that tail aside in {@code quarantine/}. It has
     * rejoined once the new primary says it is in sync.
     */
    private String rejoin(final Path journal, final String ownLink, final String newPrimaryLink, final DrillHttp newPrimary) throws Exception
    {
        for (int start = 1; start <= 2; start++)
        {
            try (ServerProcess old = ServerProcess.launchStandby(config(journal, ownLink, newPrimaryLink), secret, settings.jvmOptions(),
                settings.folder(), "old-primary-standby-" + start))
            {
                if (old.awaitReady(PATIENCE).ready() && inSyncWhileAlive(old, newPrimary))
                {
                    final long quarantined = count(journal.resolve("quarantine"));
                    if (start == 1)
                    {
                        return "yes (it had no tail the standby never acknowledged)";
                    }
                    return quarantined > 0 ? "yes, its tail the standby never acknowledged quarantined (" + quarantined + " file(s) in quarantine/)"
                        : "no: it diverged but set nothing aside";
                }
                if (old.isAlive())
                {
                    return "no: not in sync within " + PATIENCE.toSeconds() + " s; log " + old.log();
                }
                if (start == 1 && !Files.exists(journal.resolve("diverged-after")))
                {
                    return "no: it exited without marking a divergence; log " + old.log();
                }
            }
        }
        return "no: restarted after its divergence, it exited again; see old-primary-standby-2.log";
    }

    /** True once the new primary says its standby is in sync; false when {@code old} exits first or the patience runs out. */
    private static boolean inSyncWhileAlive(final ServerProcess old, final DrillHttp newPrimary) throws Exception
    {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (old.isAlive() && System.nanoTime() < deadline)
        {
            if (newPrimary.get("/health/ready", null).json().path("replication").path("inSync").asBoolean())
            {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private Check verify(final Path journal, final String name) throws IOException, InterruptedException
    {
        final JournalCheck.Verdict verdict = JournalCheck.verify(journal, settings.folder().resolve("journal-verify-" + name + ".log"));
        return verdict.check() != null ? verdict.check() : Check.notJudged("flashsale journal verify (" + name + ")", verdict.notRun());
    }

    private static long count(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.count();
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static long millisSince(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
