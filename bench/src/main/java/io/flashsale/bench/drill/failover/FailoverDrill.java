package io.flashsale.bench.drill.failover;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.drill.diskfull.Phase;
import io.flashsale.bench.drill.diskfull.PhaseTally;
import io.flashsale.bench.drill.diskfull.PurchaseLoad;
import io.flashsale.bench.drill.replica.ReplicaSteps;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.scenario.Check;
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

import static io.flashsale.bench.drill.replica.ReplicaSteps.millisSince;

/**
 * {@code flashsale drill failover}: a primary ({@code serve} with a replication link) and a hot
 * standby ({@code standby --primary}), two child JVMs over real Aeron on 127.0.0.1. Once the
 * primary says its standby is in sync, purchase load goes to the primary and it is killed with
 * SIGKILL at a moment drawn within the load window; the standby is promoted through the admin
 * route (as {@code flashsale promote} does) and bought from until it accepts. Then every order the
 * old primary acknowledged is looked for on the new one (sync: none may be missing; async: the
 * figure is reported, not judged), the old primary is restarted as the new one's standby (its
 * unacknowledged tail set aside) and must come in sync, and {@code flashsale journal verify}
 * passes on both journals. With {@code --edges N} ({@link FailoverEdges}) the load goes through an
 * edge given both cores, and every edge must follow the promoted standby by itself.
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
        // With edges, each core opens an edge link too; the edges are given both.
        final String primaryEdgeLink = settings.edges() > 0 ? "127.0.0.1:" + freeUdpPort() : "";
        final String standbyEdgeLink = settings.edges() > 0 ? "127.0.0.1:" + freeUdpPort() : "";
        final List<Check> checks = new ArrayList<>();
        final PurchaseLoad load;
        final long killToPromoted;
        final long killToAccepted;
        final String promotion;
        final long checked;
        final long lost;
        String rejoin = "not tried";
        FailoverEdges edges = null;
        try (ServerProcess primary = ReplicaSteps.ready(ServerProcess.launch(edgeLink(config(primaryJournal, primaryLink, null), primaryEdgeLink), secret,
                 settings.jvmOptions(), false, settings.folder(), "primary"), PATIENCE);
             ServerProcess standby = ReplicaSteps.ready(ServerProcess.launchStandby(edgeLink(config(standbyJournal, standbyLink, primaryLink), standbyEdgeLink),
                 secret, settings.jvmOptions(), settings.folder(), "standby"), PATIENCE))
        {
            final DrillHttp primaryHttp = new DrillHttp(primary.base());
            final long inSync = ReplicaSteps.awaitInSync(primaryHttp, PATIENCE);
            out.printf("  standby in sync %,d ms after it was ready%n", inSync);
            edges = settings.edges() == 0 ? FailoverEdges.none() : FailoverEdges.start(settings.edges(), List.of(primaryEdgeLink, standbyEdgeLink),
                secret, settings.jvmOptions(), settings.folder(), PATIENCE);
            final Instant now = Instant.now();
            final long sale = new AdminClient("127.0.0.1", primary.port(), secret).createSale(new AdminClient.SaleTerms("failover drill",
                100_000_000, now.minusSeconds(1), now.plus(Duration.ofHours(2)), 1, 3_600));

            load = new PurchaseLoad(edges.loadBase(primary.base()), sale, secret, ANSWER_BOUND);
            final long loadStarted = System.nanoTime();
            final long killAfter = new SplittableRandom(settings.seed()).nextLong(settings.loadMillis() / 5, settings.loadMillis() + 1);
            load.start(settings.clients());
            ReplicaSteps.awaitFirstAck(load, PATIENCE);
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
            // Through the first edge when there are edges: the figure includes the edge following the new primary.
            final DrillHttp buyer = edges.any() ? edges.http(0) : standbyHttp;
            if (settings.autoPromote())
            {
                // Nobody promotes it: buy until it has promoted itself and accepts.
                killToAccepted = firstAccepted(buyer, sale, killed);
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
                killToAccepted = firstAccepted(buyer, sale, killed);
            }
            checks.add(Check.of("the new primary accepts purchases" + (edges.any() ? " through an edge" : ""), killToAccepted >= 0,
                killToAccepted >= 0 ? "first 201 " + killToAccepted + " ms after the kill" : "no 201 within " + PATIENCE.toSeconds() + " s"));
            for (int e = 1; e < edges.count(); e++)
            {
                final long followed = firstAccepted(edges.http(e), sale, killed);
                checks.add(Check.of("edge " + (e + 1) + " follows the new primary", followed >= 0,
                    followed >= 0 ? "first 201 " + followed + " ms after the kill" : "no 201 within " + PATIENCE.toSeconds() + " s"));
            }

            stopping.join();
            final List<PurchaseLoad.Ack> acknowledged = load.acknowledged();
            final AdminClient newPrimary = new AdminClient("127.0.0.1", standby.port(), secret);
            checked = acknowledged.size();
            lost = ReplicaSteps.lostOrders(newPrimary, acknowledged, out);
            final String figure = String.format("%,d checked, %,d lost", checked, lost);
            final Books books = newPrimary.books(sale);
            if ("sync".equals(settings.mode()))
            {
                checks.add(Check.of("every acknowledged order is on the new primary (sync)", checked > 0 && lost == 0, figure));
                // The orders acknowledged by both primaries, plus at most the purchases cut off by the kill.
                // Through an edge, a purchase in flight at the kill is answered 503 outcome-unknown rather than left
                // unanswered: it may have been journaled, replicated and reserved all the same.
                final PhaseTally tally = load.tally(Phase.BEFORE);
                checks.add(books.neverOversold(checked + (killToAccepted >= 0 ? 1 : 0) + Math.max(0, edges.count() - 1),
                    tally.unanswered() + tally.count("503 OUTCOME_UNKNOWN")));
            }
            else
            {
                checks.add(Check.notJudged("acknowledged orders on the new primary (async: reported, not judged)", figure));
                checks.add(Check.of("the new primary's books balance", books.balances() && books.oversold() == 0, books.toString()));
            }

            if (settings.rejoin())
            {
                rejoin = ReplicaSteps.rejoin(primaryJournal, start -> ServerProcess.launchStandby(config(primaryJournal, primaryLink, standbyLink),
                    secret, settings.jvmOptions(), settings.folder(), "old-primary-standby-" + start), standbyHttp, PATIENCE);
                checks.add(Check.of("the old primary rejoins as the new primary's standby", rejoin.startsWith("yes"), rejoin));
            }
        }
        finally
        {
            if (edges != null)
            {
                edges.close();
            }
        }
        checks.add(ReplicaSteps.verify(standbyJournal, settings.folder(), "new-primary"));
        if (settings.rejoin())
        {
            checks.add(ReplicaSteps.verify(primaryJournal, settings.folder(), "old-primary"));
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

    /** The same configuration with its link for edges open at {@code address} (none when empty). */
    private static ServerConfig edgeLink(final ServerConfig config, final String address)
    {
        config.edges.link = address;
        return config;
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

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
